package dev.kiln.processor.write;

import com.palantir.javapoet.CodeBlock;
import dev.kiln.annotations.Activation;
import dev.kiln.processor.model.LayerModel;
import dev.kiln.processor.model.Pooling2DLayer;
import java.util.List;

/** A pooling layer's calls: one kernel forward, one for the input gradient; no parameters. */
final class PoolingWriter implements LayerWriter {
    private final Pooling2DLayer layer;
    /** The activation before that max pooling's backward kernel undoes too (RELU, LEAKY_RELU), else LINEAR. */
    private final Activation undo;
    private final float slope;

    /** @param previous the layer before, or null */
    PoolingWriter(Pooling2DLayer layer, LayerModel previous) {
        this.layer = layer;
        boolean fuse = layer.op() == Pooling2DLayer.Op.MAX && previous != null
                && (previous.activation() == Activation.RELU || previous.activation() == Activation.LEAKY_RELU);
        this.undo = fuse ? previous.activation() : Activation.LINEAR;
        this.slope = fuse ? previous.negativeSlope() : 0f;
    }

    @Override
    public boolean undoesPreviousActivation() {
        return undo != Activation.LINEAR;
    }

    @Override
    public boolean hasActivation() {
        return false;
    }

    @Override
    public String detail() {
        return ", " + window();
    }

    @Override
    public String window() {
        return Conv2DWriter.windowText(layer.window());
    }

    @Override
    public List<Kernel> kernels() {
        return new PoolingKernels(layer, undo, slope).kernels();
    }

    @Override
    public void initialize(CodeBlock.Builder code) {
    }

    // ops.pool1Forward(pool1Out, conv1Out, 0, batch);
    @Override
    public void forward(CodeBlock.Builder code, Forward io) {
        code.addStatement("ops.$N($N, $N, $L, $L)", PoolingKernels.forwardName(layer), io.output(), io.input(), io.inputOffset(), io.rows());
    }

    @Override
    public void backwardParameters(CodeBlock.Builder code, Backward io) {
    }

    // ops.pool1Backward(dConv1Out, dPool1Out, conv1Out, 0, pool1Out, b);  // d conv1Out
    @Override
    public void backwardInput(CodeBlock.Builder code, Backward io) {
        if (layer.op() == Pooling2DLayer.Op.MAX) {
            code.add("ops.$N($N, $N, $N, $N, $N, b);  // d $L$L\n", PoolingKernels.backwardName(layer), io.inputGradient(), io.gradient(),
                    io.input(), io.inputOffset(), io.output(), io.inputGradientName(),
                    undo == Activation.LINEAR ? "" : ", " + undo.name().toLowerCase(java.util.Locale.ROOT) + " undone");
        } else {
            code.add("ops.$N($N, $N, b);  // d $L\n", PoolingKernels.backwardName(layer), io.inputGradient(), io.gradient(), io.inputGradientName());
        }
    }
}
