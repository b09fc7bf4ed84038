package dev.kiln.processor.write;

import static dev.kiln.processor.write.Kernel.floats;
import static dev.kiln.processor.write.Kernel.integer;
import static dev.kiln.processor.write.Vectors.FLOAT_VECTOR;
import static dev.kiln.processor.write.Vectors.VECTOR_MASK;
import static dev.kiln.processor.write.Vectors.VECTOR_OPERATORS;

import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.ParameterizedTypeName;
import com.palantir.javapoet.TypeName;
import dev.kiln.annotations.Activation;
import dev.kiln.processor.model.Pooling2DLayer;
import dev.kiln.processor.model.Window;
import java.util.Arrays;
import java.util.List;

/**
 * The two kernels of a pooling layer over a channels-last input {@code (B, H, W, C)}: forward and
 * the input gradient. The vector kernels work on {@code LANES} channels at a time, which sit next
 * to each other in memory. With padding, each window is clipped to the input: max pooling ignores
 * the padding and average pooling divides by the number of input elements the window covers.
 *
 * <p>Max pooling's gradient goes to the first element of its window, in row-major order, that
 * equals the window's maximum: PyTorch's choice when several elements tie.
 */
final class PoolingKernels {
    private final Pooling2DLayer layer;
    private final Window window;
    private final boolean max;
    /** The activation of the layer before whose gradient the backward kernel also undoes (RELU, LEAKY_RELU), else LINEAR. */
    private final Activation undo;
    private final float slope;
    private final int h;
    private final int w;
    private final int c;
    private final int oh;
    private final int ow;

    PoolingKernels(Pooling2DLayer layer, Activation undo, float slope) {
        this.layer = layer;
        this.undo = undo;
        this.slope = slope;
        this.window = layer.window();
        this.max = layer.op() == Pooling2DLayer.Op.MAX;
        this.h = window.inHeight();
        this.w = window.inWidth();
        this.c = layer.channels();
        this.oh = window.outHeight();
        this.ow = window.outWidth();
    }

    static String forwardName(Pooling2DLayer layer) {
        return layer.name() + "Forward";
    }

    static String backwardName(Pooling2DLayer layer) {
        return layer.name() + "Backward";
    }

    List<Kernel> kernels() {
        return List.of(forward(), backward());
    }

    private String input() {
        return "(B, " + h + ", " + w + ", " + c + ")";
    }

    private String output() {
        return "(B, " + oh + ", " + ow + ", " + c + ")";
    }

    Kernel forward() {
        String doc = max ? "$L: y $L = the maximum of each $L window of x $L, $L, for {@code rows} images of x from {@code xOffset}.\n"
                : "$L: y $L = the mean of each $L window of x $L, $L, for {@code rows} images of x from {@code xOffset}.\n";
        return new Kernel(forwardName(layer),
                CodeBlock.of(doc, layer.name(), output(), window.size(), input(), Conv2DWriter.windowText(window)).toString(),
                List.of(floats("y"), floats("x"), integer("xOffset"), integer("rows")),
                forwardBody(true), forwardBody(false));
    }

    Kernel backward() {
        if (max) {
            String doc = "$L: dx $L = dy $L routed to the first maximum of each window, given the input x from {@code xOffset} and the output y$L.\n";
            String undone = switch (undo) {
                case RELU -> ";\nalso undoes the relu before: a window whose maximum is 0 passes no gradient";
                case LEAKY_RELU -> ";\nalso undoes the leaky relu before: a window whose maximum is <= 0 passes its gradient times " + slope;
                default -> "";
            };
            return new Kernel(backwardName(layer), CodeBlock.of(doc, layer.name(), input(), output(), undone).toString(),
                    List.of(floats("dx"), floats("dy"), floats("x"), integer("xOffset"), floats("y"), integer("rows")),
                    backwardBody(true), backwardBody(false));
        }
        String doc = "$L: dx $L = dy $L spread evenly over each window.\n";
        return new Kernel(backwardName(layer), CodeBlock.of(doc, layer.name(), input(), output()).toString(),
                List.of(floats("dx"), floats("dy"), integer("rows")), backwardBody(true), backwardBody(false));
    }

    /*
     * for (r, oh, ow) { window rows h0..h1, columns w0..w1;
     *     for (c in vectors) { m = -inf (or 0); for (h, v) m = max(m, x[r, h, v, c..]) (or +); y[r, oh, ow, c..] = m (or m / count) }
     *     scalar tail }
     */
    private CodeBlock forwardBody(boolean vector) {
        CodeBlock.Builder code = CodeBlock.builder();
        windowLoops(code);
        code.addStatement("int yp = ((r * $L + oh) * $L + ow) * $L", oh, ow, c);
        code.addStatement("int c = 0");
        if (vector) {
            code.beginControlFlow("for (; c < $L; c += LANES)", bound());
            code.addStatement(max ? CodeBlock.of("$T m = $T.broadcast(SPECIES, Float.NEGATIVE_INFINITY)", FLOAT_VECTOR, FLOAT_VECTOR)
                    : CodeBlock.of("$T m = $T.zero(SPECIES)", FLOAT_VECTOR, FLOAT_VECTOR));
            elementLoops(code);
            code.addStatement(max ? "m = m.max($T.fromArray(SPECIES, x, xOffset + i))" : "m = m.add($T.fromArray(SPECIES, x, xOffset + i))", FLOAT_VECTOR);
            closeElementLoops(code);
            code.addStatement(max ? "m.intoArray(y, yp + c)" : "m.div(count).intoArray(y, yp + c)");
            code.endControlFlow();
        }
        if (!vector || Vectors.hasTail(c)) {
            code.beginControlFlow("for (; c < $L; c++)", c);
            code.addStatement(max ? "float m = Float.NEGATIVE_INFINITY" : "float m = 0f");
            elementLoops(code);
            code.addStatement(max ? "m = Math.max(m, x[xOffset + i])" : "m += x[xOffset + i]");
            closeElementLoops(code);
            code.addStatement(max ? "y[yp + c] = m" : "y[yp + c] = m / count");
            code.endControlFlow();
        }
        closeWindowLoops(code);
        return code.build();
    }

    /**
     * Whether the windows tile the input exactly, without overlap, gaps or padding, so the
     * gradient kernel writes each element of dx once and needs no zeroing first.
     */
    private boolean tiles() {
        return !window.padded() && window.strideHeight() == window.height() && window.strideWidth() == window.width()
                && oh * window.height() == h && ow * window.width() == w;
    }

    /*
     * dx = 0 (unless the windows tile the input);
     * max: for (r, oh, ow, c..) { m = y[..]; g = dy[..] (0 where m <= 0 when undoing a relu);
     *          for (h, v) { hit = x[..] == m; dx[..] (+)= hit ? g : 0; g = hit ? 0 : g }   // the first maximum takes it
     * average: for (r, oh, ow, c..) { g = dy[..] / count; for (h, v) dx[..] (+)= g }
     */
    private CodeBlock backwardBody(boolean vector) {
        CodeBlock.Builder code = CodeBlock.builder();
        if (!tiles()) {
            code.addStatement("$T.fill(dx, 0, rows * $L, 0f)", Arrays.class, h * w * c);
        }
        windowLoops(code);
        code.addStatement("int yp = ((r * $L + oh) * $L + ow) * $L", oh, ow, c);
        code.addStatement("int c = 0");
        if (vector) {
            TypeName mask = ParameterizedTypeName.get(VECTOR_MASK, TypeName.get(Float.class));
            code.beginControlFlow("for (; c < $L; c += LANES)", bound());
            if (max) {
                code.addStatement("$T m = $T.fromArray(SPECIES, y, yp + c)", FLOAT_VECTOR, FLOAT_VECTOR);
                code.addStatement("$T g = $T.fromArray(SPECIES, dy, yp + c)", FLOAT_VECTOR, FLOAT_VECTOR);
                if (undo == Activation.RELU) {
                    code.addStatement("g = g.blend(0f, m.compare($T.LE, 0f))", VECTOR_OPERATORS);
                } else if (undo == Activation.LEAKY_RELU) {
                    code.addStatement("g = g.blend(g.mul($Lf), m.compare($T.LE, 0f))", slope, VECTOR_OPERATORS);
                }
            } else {
                code.addStatement("$T g = $T.fromArray(SPECIES, dy, yp + c).div(count)", FLOAT_VECTOR, FLOAT_VECTOR);
            }
            elementLoops(code);
            if (max) {
                code.addStatement("$T hit = $T.fromArray(SPECIES, x, xOffset + i).compare($T.EQ, m)", mask, FLOAT_VECTOR, VECTOR_OPERATORS);
                if (tiles()) {
                    code.addStatement("$T.zero(SPECIES).blend(g, hit).intoArray(dx, i)", FLOAT_VECTOR);
                } else {
                    code.addStatement("$T.fromArray(SPECIES, dx, i).add($T.zero(SPECIES).blend(g, hit)).intoArray(dx, i)", FLOAT_VECTOR, FLOAT_VECTOR);
                }
                code.addStatement("g = g.blend(0f, hit)");
            } else if (tiles()) {
                code.addStatement("g.intoArray(dx, i)");
            } else {
                code.addStatement("$T.fromArray(SPECIES, dx, i).add(g).intoArray(dx, i)", FLOAT_VECTOR);
            }
            closeElementLoops(code);
            code.endControlFlow();
        }
        if (!vector || Vectors.hasTail(c)) {
            code.beginControlFlow("for (; c < $L; c++)", c);
            if (max) {
                code.addStatement("float m = y[yp + c]");
                code.addStatement("float g = dy[yp + c]");
                if (undo == Activation.RELU) {
                    code.beginControlFlow("if (m <= 0f)").addStatement("g = 0f").endControlFlow();
                } else if (undo == Activation.LEAKY_RELU) {
                    code.beginControlFlow("if (m <= 0f)").addStatement("g *= $Lf", slope).endControlFlow();
                }
            } else {
                code.addStatement("float g = dy[yp + c] / count");
            }
            elementLoops(code);
            if (max) {
                code.addStatement("boolean hit = x[xOffset + i] == m");
                code.addStatement(tiles() ? "dx[i] = hit ? g : 0f" : "dx[i] += hit ? g : 0f");
                code.beginControlFlow("if (hit)");
                code.addStatement("g = 0f");
                code.endControlFlow();
            } else {
                code.addStatement(tiles() ? "dx[i] = g" : "dx[i] += g");
            }
            closeElementLoops(code);
            code.endControlFlow();
        }
        closeWindowLoops(code);
        return code.build();
    }

    private String bound() {
        return Vectors.hasTail(c) ? "SPECIES.loopBound(" + c + ")" : String.valueOf(c);
    }

    /*
     * for (int r = 0; r < rows; r++) for (int oh ...) { int h0 = ..., h1 = ...; for (int ow ...) { int w0 = ..., w1 = ...; [float count = ...;]
     * The window covers input rows h0..h1-1 and columns w0..w1-1, clipped to the input when padded.
     */
    private void windowLoops(CodeBlock.Builder code) {
        code.beginControlFlow("for (int r = 0; r < rows; r++)");
        code.beginControlFlow("for (int oh = 0; oh < $L; oh++)", oh);
        if (window.padTop() + window.padBottom() > 0) {
            code.addStatement("int h0 = Math.max(oh * $L - $L, 0)", window.strideHeight(), window.padTop());
            code.addStatement("int h1 = Math.min(oh * $L + $L, $L)", window.strideHeight(), window.height() - window.padTop(), h);
        } else {
            code.addStatement("int h0 = oh * $L", window.strideHeight());
            code.addStatement("int h1 = h0 + $L", window.height());
        }
        code.beginControlFlow("for (int ow = 0; ow < $L; ow++)", ow);
        if (window.padLeft() + window.padRight() > 0) {
            code.addStatement("int w0 = Math.max(ow * $L - $L, 0)", window.strideWidth(), window.padLeft());
            code.addStatement("int w1 = Math.min(ow * $L + $L, $L)", window.strideWidth(), window.width() - window.padLeft(), w);
        } else {
            code.addStatement("int w0 = ow * $L", window.strideWidth());
            code.addStatement("int w1 = w0 + $L", window.width());
        }
        if (!max) {
            if (window.padded()) {
                code.addStatement("float count = (h1 - h0) * (w1 - w0)");
            } else {
                code.addStatement("float count = $L", window.height() * window.width() + "f");
            }
        }
    }

    private static void closeWindowLoops(CodeBlock.Builder code) {
        code.endControlFlow();
        code.endControlFlow();
        code.endControlFlow();
    }

    /** for (int h = h0; h < h1; h++) for (int v = w0; v < w1; v++) { int i = ((r * H + h) * W + v) * C + c; (open) */
    private void elementLoops(CodeBlock.Builder code) {
        code.beginControlFlow("for (int h = h0; h < h1; h++)");
        code.beginControlFlow("for (int v = w0; v < w1; v++)");
        code.addStatement("int i = ((r * $L + h) * $L + v) * $L + c", this.h, w, c);
    }

    private static void closeElementLoops(CodeBlock.Builder code) {
        code.endControlFlow();
        code.endControlFlow();
    }
}
