package dev.kiln.processor.write;

import static dev.kiln.processor.write.DenseWriter.INITIALIZERS;

import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.MethodSpec;
import dev.kiln.processor.model.Conv2DLayer;
import dev.kiln.processor.model.Tensor;
import dev.kiln.processor.model.Window;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import javax.lang.model.element.Modifier;

/**
 * A Conv2D layer's calls. With padding, forward first copies the input into a padded buffer
 * whose border stays zero ({@code padConv1}), and the input gradient is computed for the padded
 * input and cropped ({@code cropConv1}); the kernels only ever see a VALID convolution.
 */
final class Conv2DWriter implements LayerWriter {
    private final Conv2DLayer layer;
    private final Window window;
    private final ConvKernels kernels;

    Conv2DWriter(Conv2DLayer layer) {
        this.layer = layer;
        this.window = layer.window();
        this.kernels = new ConvKernels(layer);
    }

    private String packed() {
        return layer.name() + "Packed";
    }

    private String padded() {
        return layer.name() + "Padded";
    }

    private String paddedGradient() {
        return "d" + Character.toUpperCase(layer.name().charAt(0)) + layer.name().substring(1) + "Padded";
    }

    private String capitalized() {
        return Character.toUpperCase(layer.name().charAt(0)) + layer.name().substring(1);
    }

    private String padName() {
        return "pad" + capitalized();
    }

    private String cropName() {
        return "crop" + capitalized();
    }

    @Override
    public String detail() {
        return ", " + window() + ", " + layer.activation();
    }

    /** {@code 3x3, stride 1, VALID}, or {@code 3x5, stride 2x1, SAME}. */
    @Override
    public String window() {
        return windowText(window);
    }

    static String windowText(Window window) {
        String stride = window.strideHeight() == window.strideWidth() ? String.valueOf(window.strideHeight())
                : window.strideHeight() + "x" + window.strideWidth();
        return window.size() + ", stride " + stride + ", " + window.padding();
    }

    @Override
    public List<Kernel> kernels() {
        return kernels.kernels();
    }

    @Override
    public boolean fusesActivation() {
        return ConvKernels.fusesActivation(layer);
    }

    @Override
    public List<Scratch> scratch() {
        List<Scratch> scratch = new ArrayList<>();
        scratch.add(new Scratch(packed(), Scratch.Size.FIXED, kernels.packedSize(), String.valueOf(kernels.packedSize()),
                layer.weight().name() + " rearranged for the vector kernels, or its gradient before it is added to dw"));
        if (window.padded()) {
            String shape = window.paddedHeight() + ", " + window.paddedWidth() + ", " + layer.channels();
            scratch.add(new Scratch(padded(), Scratch.Size.BATCH_AND_SAMPLE, window.paddedHeight() * window.paddedWidth() * layer.channels(),
                    shape, "the input of " + layer.name() + " with its zero border"));
            scratch.add(new Scratch(paddedGradient(), Scratch.Size.BATCH, window.paddedHeight() * window.paddedWidth() * layer.channels(),
                    shape, "the gradient with respect to " + padded()));
        }
        return scratch;
    }

    // Initializers.heUniform(w, CONV1_WEIGHT, 9, 288, random);
    @Override
    public void initialize(CodeBlock.Builder code) {
        Tensor weight = layer.weight();
        if (DenseWriter.heInitialized(layer.activation())) {
            code.addStatement("$T.heUniform(w, $L, $L, $L, random)", INITIALIZERS, weight.constant(), layer.fanIn(), weight.size());
        } else {
            int fanOut = layer.filters() * window.height() * window.width();
            code.addStatement("$T.glorotUniform(w, $L, $L, $L, $L, random)", INITIALIZERS, weight.constant(), layer.fanIn(), fanOut, weight.size());
        }
    }

    /*
     * padConv1(conv1Padded, inputs, offset, batch);   // only with padding
     * ops.conv1Forward(conv1Out, conv1Padded, 0, w, conv1Packed, batch);
     */
    @Override
    public void forward(CodeBlock.Builder code, Forward io) {
        String input = io.input();
        String offset = io.inputOffset();
        if (window.padded()) {
            String target = io.single() ? padded() + "Sample" : padded();
            code.addStatement("$N($N, $N, $L, $L)", padName(), target, input, offset, io.rows());
            input = target;
            offset = "0";
        }
        code.addStatement("ops.$N($N, $N, $L, w, $N, $L)", ConvKernels.forwardName(layer), io.output(), input, offset, packed(), io.rows());
    }

    // ops.conv1BackwardWeights(dw, dConv1Out, x, xOffset, conv1Packed, b);  // d conv1.weight, d conv1.bias
    @Override
    public void backwardParameters(CodeBlock.Builder code, Backward io) {
        String tensors = layer.tensors().stream().map(t -> "d " + t.name()).collect(Collectors.joining(", "));
        String input = window.padded() ? padded() : io.input();
        String offset = window.padded() ? "0" : io.inputOffset();
        code.add("ops.$N(dw, $N, $N, $N, $N, b);  // $L\n", ConvKernels.weightsName(layer), io.gradient(), input, offset, packed(), tensors);
    }

    /*
     * ops.conv1BackwardInput(dPool1Out, dConv2Out, w, conv2Packed, b);  // d pool1Out
     * or, with padding: ops.conv2BackwardInput(dConv2Padded, ...);  // d conv2Padded
     *                   cropConv2(dPool1Out, dConv2Padded, b);  // d pool1Out
     */
    @Override
    public void backwardInput(CodeBlock.Builder code, Backward io) {
        if (window.padded()) {
            code.add("ops.$N($N, $N, w, $N, b);  // d $L\n", ConvKernels.inputName(layer), paddedGradient(), io.gradient(), packed(), padded());
            code.add("$N($N, $N, b);  // d $L\n", cropName(), io.inputGradient(), paddedGradient(), io.inputGradientName());
        } else {
            code.add("ops.$N($N, $N, w, $N, b);  // d $L\n", ConvKernels.inputName(layer), io.inputGradient(), io.gradient(), packed(), io.inputGradientName());
        }
    }

    @Override
    public List<MethodSpec> helpers() {
        if (!window.padded()) {
            return List.of();
        }
        return List.of(pad(), crop());
    }

    private int inRow() {
        return window.inWidth() * layer.channels();
    }

    private int paddedRow() {
        return window.paddedWidth() * layer.channels();
    }

    /*
     * for (r, h) System.arraycopy(x, xOffset + (r * H + h) * W * C, padded, (r * HP + h + top) * WP * C + left * C, W * C);
     */
    private MethodSpec pad() {
        CodeBlock.Builder code = CodeBlock.builder();
        code.beginControlFlow("for (int r = 0; r < rows; r++)");
        code.beginControlFlow("for (int h = 0; h < $L; h++)", window.inHeight());
        code.addStatement("$T.arraycopy(x, xOffset + (r * $L + h) * $L, padded, (r * $L + h + $L) * $L + $L, $L)", System.class,
                window.inHeight(), inRow(), window.paddedHeight(), window.padTop(), paddedRow(), window.padLeft() * layer.channels(), inRow());
        code.endControlFlow();
        code.endControlFlow();
        return MethodSpec.methodBuilder(padName())
                .addJavadoc("Copies $L's input (B, $L, $L, $L) into the interior of padded (B, $L, $L, $L): $L.\n"
                        + "The border stays zero, as nothing else writes the padded buffers.\n",
                        layer.name(), window.inHeight(), window.inWidth(), layer.channels(), window.paddedHeight(), window.paddedWidth(),
                        layer.channels(), border())
                .addModifiers(Modifier.PRIVATE, Modifier.STATIC)
                .addParameter(float[].class, "padded")
                .addParameter(float[].class, "x")
                .addParameter(int.class, "xOffset")
                .addParameter(int.class, "rows")
                .addCode(code.build())
                .build();
    }

    private String border() {
        return window.padTop() + " row(s) on top, " + window.padBottom() + " below, " + window.padLeft() + " column(s) on the left, "
                + window.padRight() + " on the right";
    }

    /*
     * for (r, h) System.arraycopy(padded, (r * HP + h + top) * WP * C + left * C, dx, (r * H + h) * W * C, W * C);
     */
    private MethodSpec crop() {
        CodeBlock.Builder code = CodeBlock.builder();
        code.beginControlFlow("for (int r = 0; r < rows; r++)");
        code.beginControlFlow("for (int h = 0; h < $L; h++)", window.inHeight());
        code.addStatement("$T.arraycopy(padded, (r * $L + h + $L) * $L + $L, dx, (r * $L + h) * $L, $L)", System.class,
                window.paddedHeight(), window.padTop(), paddedRow(), window.padLeft() * layer.channels(), window.inHeight(), inRow(), inRow());
        code.endControlFlow();
        code.endControlFlow();
        return MethodSpec.methodBuilder(cropName())
                .addJavadoc("dx (B, $L, $L, $L) = the interior of the gradient padded (B, $L, $L, $L); the border's gradient belongs to the padding.\n",
                        window.inHeight(), window.inWidth(), layer.channels(), window.paddedHeight(), window.paddedWidth(), layer.channels())
                .addModifiers(Modifier.PRIVATE, Modifier.STATIC)
                .addParameter(float[].class, "dx")
                .addParameter(float[].class, "padded")
                .addParameter(int.class, "rows")
                .addCode(code.build())
                .build();
    }
}
