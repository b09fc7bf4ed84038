package dev.kiln.processor.write;

import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.MethodSpec;
import dev.kiln.processor.model.Conv2DLayer;
import dev.kiln.processor.model.DenseLayer;
import dev.kiln.processor.model.FlattenLayer;
import dev.kiln.processor.model.LayerModel;
import dev.kiln.processor.model.Pooling2DLayer;
import java.util.List;

/**
 * What one kind of layer contributes to the generated class: its kernels, its calls in forward
 * and backward, its weight initialization, and any scratch memory. {@link ModelWriter} owns the
 * activation and gradient buffers and calls these in layer order (forward) or reverse (backward).
 */
sealed interface LayerWriter permits DenseWriter, Conv2DWriter, PoolingWriter, FlattenWriter {

    /** @param previous the layer before, or null for the first layer */
    static LayerWriter of(LayerModel layer, LayerModel previous) {
        return switch (layer) {
            case DenseLayer dense -> new DenseWriter(dense);
            case Conv2DLayer conv -> new Conv2DWriter(conv);
            case Pooling2DLayer pooling -> new PoolingWriter(pooling, previous);
            case FlattenLayer flatten -> new FlattenWriter(flatten);
        };
    }

    /**
     * The buffers of one forward call.
     *
     * @param output the buffer that receives the layer's output before its activation
     * @param input the buffer holding the layer's input from {@code inputOffset}
     * @param rows the number of samples: {@code batch}, or {@code 1} in {@code predict}
     */
    record Forward(String output, String input, String inputOffset, String rows) {
        boolean single() {
            return rows.equals("1");
        }
    }

    /**
     * The buffers of one backward step.
     *
     * @param output the layer's output in the last forward pass
     * @param gradient the gradient with respect to the layer's output (its activation already undone)
     * @param input the layer's input in the last forward pass, from {@code inputOffset}
     * @param inputGradient the buffer that receives the gradient with respect to the input
     * @param inputGradientName what that gradient is, for the comment: {@code input}, {@code hiddenOut}
     */
    record Backward(String output, String gradient, String input, String inputOffset, String inputGradient, String inputGradientName) {
    }

    /**
     * Memory a layer's kernels work in besides the activation buffers.
     *
     * @param floats floats per sample for a batch buffer, else in total (ints for {@link Size#INDICES})
     * @param shape its shape for the comment, without the batch dimension
     */
    record Scratch(String name, Size size, int floats, String shape, String doc) {

        /** How a scratch buffer is sized, and whether it holds floats or indices. */
        enum Size {
            /** A fixed size, allocated with the model. */
            FIXED,
            /** A fixed number of int indices, allocated with the model. */
            INDICES,
            /** Grows with the batch, allocated in {@code ensureCapacity}. */
            BATCH,
            /** Grows with the batch, with a one-sample twin {@code <name>Sample} for {@code predict}. */
            BATCH_AND_SAMPLE;

            boolean batched() {
                return this != FIXED && this != INDICES;
            }
        }
    }

    /** Whether the layer computes anything; a Flatten only renames its input. */
    default boolean computes() {
        return true;
    }

    /** The text after the shapes in the layer's comment line: {@code , RELU}. */
    String detail();

    /** The window for the class comment's table, {@code 3x3, stride 1, VALID}; empty for layers without one. */
    default String window() {
        return "";
    }

    /** Whether the layer applies an activation (Dense, Conv2D). */
    default boolean hasActivation() {
        return true;
    }

    /** Whether the forward kernel applies the activation itself, so no activation pass follows it. */
    default boolean fusesActivation() {
        return false;
    }

    /**
     * Whether the backward kernel also undoes the previous layer's activation, so that layer's
     * activation backward pass is left out (max pooling after a ReLU).
     */
    default boolean undoesPreviousActivation() {
        return false;
    }

    List<Kernel> kernels();

    /** Static helpers of the model class (layout changes), called from forward and backward. */
    default List<MethodSpec> helpers() {
        return List.of();
    }

    default List<Scratch> scratch() {
        return List.of();
    }

    /** Draws the initial weights from {@code random}. */
    void initialize(CodeBlock.Builder code);

    /** The calls that compute the layer's output before its activation. */
    void forward(CodeBlock.Builder code, Forward io);

    /** The calls that add the parameter gradients (nothing for layers without parameters). */
    void backwardParameters(CodeBlock.Builder code, Backward io);

    /** The calls that compute the gradient with respect to the input. */
    void backwardInput(CodeBlock.Builder code, Backward io);
}
