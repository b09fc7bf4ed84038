package dev.kiln.processor.write;

import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.CodeBlock;
import dev.kiln.annotations.Activation;
import dev.kiln.processor.model.DenseLayer;
import dev.kiln.processor.model.Tensor;
import java.util.List;
import java.util.stream.Collectors;

/** A Dense layer's calls: one kernel forward, two backward (parameters, input). */
final class DenseWriter implements LayerWriter {
    static final ClassName INITIALIZERS = ClassName.get("dev.kiln.runtime", "Initializers");

    private final DenseLayer layer;

    DenseWriter(DenseLayer layer) {
        this.layer = layer;
    }

    @Override
    public String detail() {
        return ", " + layer.activation();
    }

    @Override
    public List<Kernel> kernels() {
        return new DenseKernels(layer).kernels();
    }

    // Initializers.heUniform(w, HIDDEN_WEIGHT, 784, 100352, random);
    @Override
    public void initialize(CodeBlock.Builder code) {
        Tensor weight = layer.weight();
        if (heInitialized(layer.activation())) {
            code.addStatement("$T.heUniform(w, $L, $L, $L, random)", INITIALIZERS, weight.constant(), layer.in(), weight.size());
        } else {
            code.addStatement("$T.glorotUniform(w, $L, $L, $L, $L, random)", INITIALIZERS, weight.constant(), layer.in(), layer.out(), weight.size());
        }
    }

    /** He initialization suits ReLU-like activations, Glorot the others. */
    static boolean heInitialized(Activation activation) {
        return activation == Activation.RELU || activation == Activation.LEAKY_RELU;
    }

    private String panel() {
        return layer.name() + "Panel";
    }

    private String nonzero() {
        return layer.name() + "Nonzero";
    }

    private String transposed() {
        return "d" + Character.toUpperCase(layer.name().charAt(0)) + layer.name().substring(1) + "T";
    }

    @Override
    public List<Scratch> scratch() {
        if (!DenseKernels.scratch(layer)) {
            return List.of();
        }
        String what = DenseKernels.panels(layer) ? layer.weight().name() + "^T's columns for one panel of outputs (forward), then a tile of the input gradient"
                : "a tile of the input gradient";
        return List.of(
                new Scratch(panel(), Scratch.Size.FIXED, DenseKernels.panelFloats(layer), String.valueOf(DenseKernels.panelFloats(layer)),
                        "scratch of the " + layer.name() + " kernels: " + what),
                new Scratch(nonzero(), Scratch.Size.INDICES, layer.in(), String.valueOf(layer.in()),
                        "scratch of the " + layer.name() + " forward for one row: the indices of its inputs that are not zero"),
                new Scratch(transposed(), Scratch.Size.BATCH, layer.out(), String.valueOf(layer.out()),
                        "scratch of the " + layer.name() + " input gradient: the gradient of its output transposed"
                                + (DenseKernels.gradientPanels(layer) ? "; of its weight gradient: panels of that gradient" : "")));
    }

    // ops.hiddenForward(hiddenOut, inputs, offset, w, hiddenPanel, hiddenNonzero, batch);
    @Override
    public void forward(CodeBlock.Builder code, Forward io) {
        if (DenseKernels.scratch(layer)) {
            code.addStatement("ops.$N($N, $N, $L, w, $N, $N, $L)", DenseKernels.forwardName(layer), io.output(), io.input(), io.inputOffset(), panel(),
                    nonzero(), io.rows());
        } else {
            code.addStatement("ops.$N($N, $N, $L, w, $L)", DenseKernels.forwardName(layer), io.output(), io.input(), io.inputOffset(), io.rows());
        }
    }

    // ops.logitsBackwardWeights(dw, dLogitsOut, hiddenOut, 0, b);  // d logits.weight, d logits.bias
    @Override
    public void backwardParameters(CodeBlock.Builder code, Backward io) {
        String tensors = layer.tensors().stream().map(t -> "d " + t.name()).collect(Collectors.joining(", "));
        if (DenseKernels.gradientPanels(layer)) {
            code.add("ops.$N(dw, $N, $N, $N, $N, b);  // $L\n", DenseKernels.weightsName(layer), io.gradient(), io.input(),
                    io.inputOffset(), transposed(), tensors);
        } else {
            code.add("ops.$N(dw, $N, $N, $N, b);  // $L\n", DenseKernels.weightsName(layer), io.gradient(), io.input(), io.inputOffset(), tensors);
        }
    }

    // ops.logitsBackwardInput(dHiddenOut, dLogitsOut, w, b);  // d hiddenOut
    @Override
    public void backwardInput(CodeBlock.Builder code, Backward io) {
        if (DenseKernels.scratch(layer)) {
            code.add("ops.$N($N, $N, w, $N, $N, b);  // d $L\n", DenseKernels.inputName(layer), io.inputGradient(), io.gradient(), transposed(), panel(),
                    io.inputGradientName());
        } else {
            code.add("ops.$N($N, $N, w, b);  // d $L\n", DenseKernels.inputName(layer), io.inputGradient(), io.gradient(), io.inputGradientName());
        }
    }
}
