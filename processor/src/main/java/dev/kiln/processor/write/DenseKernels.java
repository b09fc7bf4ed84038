package dev.kiln.processor.write;

import static dev.kiln.processor.write.Kernel.floats;
import static dev.kiln.processor.write.Kernel.integer;
import static dev.kiln.processor.write.Vectors.FLOAT_VECTOR;
import static dev.kiln.processor.write.Vectors.VECTOR_OPERATORS;
import static dev.kiln.processor.write.Vectors.bound;
import static dev.kiln.processor.write.Vectors.hasTail;

import com.palantir.javapoet.CodeBlock;
import dev.kiln.processor.model.DenseLayer;
import java.util.List;

/**
 * The three kernels of a Dense layer with {@code W (out, in)}: forward {@code y = x W^T + b}, the
 * parameter gradients {@code dW += dz^T x, db += sum(dz)}, and the input gradient
 * {@code dx = dz W}. The vector kernels work in register tiles (several rows and outputs at a time,
 * one accumulator each) so each loaded vector feeds several FMAs.
 */
final class DenseKernels {
    /** Forward tile for full blocks of rows: rows x outputs. */
    private static final int FORWARD_ROWS = 4;
    private static final int FORWARD_OUTS = 2;
    /** Forward tile for single rows (batch 1): outputs. */
    private static final int SINGLE_ROW_OUTS = 4;
    /** Weight-gradient tile: outputs. */
    private static final int GRADIENT_OUTS = 4;
    /** Input-gradient tile: rows. */
    private static final int INPUT_ROWS = 4;

    private final DenseLayer layer;
    private final String weight;
    private final String bias;
    private final int in;
    private final int out;

    DenseKernels(DenseLayer layer) {
        this.layer = layer;
        this.weight = layer.weight().constant();
        this.bias = layer.bias().map(b -> b.constant()).orElse(null);
        this.in = layer.in();
        this.out = layer.out();
    }

    static String forwardName(DenseLayer layer) {
        return layer.name() + "Forward";
    }

    static String weightsName(DenseLayer layer) {
        return layer.name() + "BackwardWeights";
    }

    static String inputName(DenseLayer layer) {
        return layer.name() + "BackwardInput";
    }

    List<Kernel> kernels() {
        return List.of(forward(), backwardWeights(), backwardInput());
    }

    // y (B, out) = x (B, in) . W^T + b
    Kernel forward() {
        String doc = "$L: y (B, $L) = x (B, $L) \u00b7 $L^T$L, for {@code rows} rows of x from {@code xOffset}.\n";
        return new Kernel(forwardName(layer),
                CodeBlock.of(doc, layer.name(), out, in, layer.weight().name(), bias == null ? "" : " + " + layer.bias().get().name()).toString(),
                List.of(floats("y"), floats("x"), integer("xOffset"), floats("w"), integer("rows")),
                vectorForward(), scalarForward());
    }

    /*
     * int r = 0;
     * for (; r + 4 <= rows; r += 4) { for (int o = 0; o < 128; o += 2) { 4x2 tile } }
     * for (; r < rows; r++) { for (int o = 0; o < 128; o += 4) { 1x4 tile } }
     */
    private CodeBlock vectorForward() {
        CodeBlock.Builder code = CodeBlock.builder();
        declareBound(code, in);
        code.addStatement("int r = 0");
        code.beginControlFlow("for (; r + $L <= rows; r += $L)", FORWARD_ROWS, FORWARD_ROWS);
        outputLoops(code, FORWARD_OUTS, c -> forwardTile(code, FORWARD_ROWS, c));
        code.endControlFlow();
        code.beginControlFlow("for (; r < rows; r++)");
        outputLoops(code, SINGLE_ROW_OUTS, c -> forwardTile(code, 1, c));
        code.endControlFlow();
        return code.build();
    }

    /** for (int o = 0; o < main; o += tile) {...} then, if needed, for (int o = main; o < out; o++) {...} */
    private void outputLoops(CodeBlock.Builder code, int tile, java.util.function.IntConsumer body) {
        int main = out - out % tile;
        if (main > 0) {
            code.beginControlFlow("for (int o = 0; o < $L; o += $L)", main, tile);
            body.accept(tile);
            code.endControlFlow();
        }
        if (main < out) {
            code.beginControlFlow("for (int o = $L; o < $L; o++)", main, out);
            body.accept(1);
            code.endControlFlow();
        }
    }

    /**
     * int x0 = xOffset + (r + 0) * 784; int w0 = HIDDEN_WEIGHT + (o + 0) * 784;
     * FloatVector acc00 = FloatVector.zero(SPECIES);
     * for (int i = 0; i < 784; i += LANES) { ... acc00 = x0v.fma(w0v, acc00); }
     * y[(r + 0) * 128 + o + 0] = acc00.reduceLanes(VectorOperators.ADD) + w[HIDDEN_BIAS + o + 0];
     */
    private void forwardTile(CodeBlock.Builder code, int rows, int outs) {
        for (int k = 0; k < rows; k++) {
            code.addStatement("int x$L = xOffset + $L * $L", k, rowIndex(rows, k), in);
        }
        for (int c = 0; c < outs; c++) {
            code.addStatement("int w$L = $L + $L * $L", c, weight, outIndex(outs, c), in);
        }
        for (int k = 0; k < rows; k++) {
            for (int c = 0; c < outs; c++) {
                code.addStatement("$T acc$L$L = $T.zero(SPECIES)", FLOAT_VECTOR, k, c, FLOAT_VECTOR);
            }
        }
        code.beginControlFlow("for (int i = 0; i < $L; i += LANES)", bound(in));
        for (int k = 0; k < rows; k++) {
            code.addStatement("$T x$Lv = $T.fromArray(SPECIES, x, x$L + i)", FLOAT_VECTOR, k, FLOAT_VECTOR, k);
        }
        for (int c = 0; c < outs; c++) {
            code.addStatement("$T w$Lv = $T.fromArray(SPECIES, w, w$L + i)", FLOAT_VECTOR, c, FLOAT_VECTOR, c);
        }
        for (int k = 0; k < rows; k++) {
            for (int c = 0; c < outs; c++) {
                code.addStatement("acc$L$L = x$Lv.fma(w$Lv, acc$L$L)", k, c, k, c, k, c);
            }
        }
        code.endControlFlow();
        for (int k = 0; k < rows; k++) {
            for (int c = 0; c < outs; c++) {
                code.addStatement("float s$L$L = acc$L$L.reduceLanes($T.ADD)", k, c, k, c, VECTOR_OPERATORS);
            }
        }
        if (hasTail(in)) {
            code.beginControlFlow("for (int i = bound; i < $L; i++)", in);
            for (int k = 0; k < rows; k++) {
                for (int c = 0; c < outs; c++) {
                    code.addStatement("s$L$L += x[x$L + i] * w[w$L + i]", k, c, k, c);
                }
            }
            code.endControlFlow();
        }
        for (int k = 0; k < rows; k++) {
            for (int c = 0; c < outs; c++) {
                if (bias == null) {
                    code.addStatement("y[$L * $L + $L] = s$L$L", rowIndex(rows, k), out, outIndex(outs, c), k, c);
                } else {
                    code.addStatement("y[$L * $L + $L] = s$L$L + w[$L + $L]", rowIndex(rows, k), out, outIndex(outs, c), k, c, bias, outIndex(outs, c));
                }
            }
        }
    }

    /*
     * for (int r = 0; r < rows; r++) for (int o = 0; o < 128; o++) {
     *     float s = w[HIDDEN_BIAS + o]; for (int i = 0; i < 784; i++) s += x[..] * w[..]; y[r * 128 + o] = s; }
     */
    private CodeBlock scalarForward() {
        CodeBlock.Builder code = CodeBlock.builder();
        code.beginControlFlow("for (int r = 0; r < rows; r++)");
        code.addStatement("int xr = xOffset + r * $L", in);
        code.beginControlFlow("for (int o = 0; o < $L; o++)", out);
        code.addStatement("int wo = $L + o * $L", weight, in);
        code.addStatement("float s = 0f");
        code.beginControlFlow("for (int i = 0; i < $L; i++)", in);
        code.addStatement("s += x[xr + i] * w[wo + i]");
        code.endControlFlow();
        if (bias == null) {
            code.addStatement("y[r * $L + o] = s", out);
        } else {
            code.addStatement("y[r * $L + o] = s + w[$L + o]", out, bias);
        }
        code.endControlFlow();
        code.endControlFlow();
        return code.build();
    }

    // dW (out, in) += dz^T (out, B) . x (B, in); db (out) += column sums of dz
    Kernel backwardWeights() {
        String doc = "$L: d $L (out $L, in $L) += dz (B, $L)^T \u00b7 x (B, $L)$L.\n";
        return new Kernel(weightsName(layer),
                CodeBlock.of(doc, layer.name(), layer.weight().name(), out, in, out, in,
                        bias == null ? "" : "; d " + layer.bias().get().name() + " += the column sums of dz").toString(),
                List.of(floats("dw"), floats("dz"), floats("x"), integer("xOffset"), integer("rows")),
                vectorWeights(), scalarWeights());
    }

    /*
     * for (int o = 0; o < 128; o += 4) { for (int i = 0; i < 784; i += LANES) {
     *     acc0 = dw[w0 + i ..]; for (int r = 0; r < rows; r++) acc0 = dz[r, o] * x[r, i ..] + acc0; dw[w0 + i ..] = acc0; } }
     */
    private CodeBlock vectorWeights() {
        CodeBlock.Builder code = CodeBlock.builder();
        declareBound(code, in);
        outputLoops(code, GRADIENT_OUTS, c -> weightsTile(code, c));
        biasGradient(code);
        return code.build();
    }

    private void weightsTile(CodeBlock.Builder code, int outs) {
        for (int c = 0; c < outs; c++) {
            code.addStatement("int w$L = $L + $L * $L", c, weight, outIndex(outs, c), in);
        }
        code.beginControlFlow("for (int i = 0; i < $L; i += LANES)", bound(in));
        for (int c = 0; c < outs; c++) {
            code.addStatement("$T acc$L = $T.fromArray(SPECIES, dw, w$L + i)", FLOAT_VECTOR, c, FLOAT_VECTOR, c);
        }
        code.beginControlFlow("for (int r = 0; r < rows; r++)");
        code.addStatement("$T xv = $T.fromArray(SPECIES, x, xOffset + r * $L + i)", FLOAT_VECTOR, FLOAT_VECTOR, in);
        code.addStatement("int d = r * $L + o", out);
        for (int c = 0; c < outs; c++) {
            code.addStatement("acc$L = $T.broadcast(SPECIES, dz[d + $L]).fma(xv, acc$L)", c, FLOAT_VECTOR, c, c);
        }
        code.endControlFlow();
        for (int c = 0; c < outs; c++) {
            code.addStatement("acc$L.intoArray(dw, w$L + i)", c, c);
        }
        code.endControlFlow();
        if (hasTail(in)) {
            code.beginControlFlow("for (int i = bound; i < $L; i++)", in);
            for (int c = 0; c < outs; c++) {
                code.addStatement("float s$L = 0f", c);
            }
            code.beginControlFlow("for (int r = 0; r < rows; r++)");
            code.addStatement("float xi = x[xOffset + r * $L + i]", in);
            code.addStatement("int d = r * $L + o", out);
            for (int c = 0; c < outs; c++) {
                code.addStatement("s$L += dz[d + $L] * xi", c, c);
            }
            code.endControlFlow();
            for (int c = 0; c < outs; c++) {
                code.addStatement("dw[w$L + i] += s$L", c, c);
            }
            code.endControlFlow();
        }
    }

    private void biasGradient(CodeBlock.Builder code) {
        if (bias == null) {
            return;
        }
        code.beginControlFlow("for (int o = 0; o < $L; o++)", out);
        code.addStatement("float s = 0f");
        code.beginControlFlow("for (int r = 0; r < rows; r++)");
        code.addStatement("s += dz[r * $L + o]", out);
        code.endControlFlow();
        code.addStatement("dw[$L + o] += s", bias);
        code.endControlFlow();
    }

    private CodeBlock scalarWeights() {
        CodeBlock.Builder code = CodeBlock.builder();
        code.beginControlFlow("for (int o = 0; o < $L; o++)", out);
        code.addStatement("int wo = $L + o * $L", weight, in);
        code.beginControlFlow("for (int i = 0; i < $L; i++)", in);
        code.addStatement("float s = 0f");
        code.beginControlFlow("for (int r = 0; r < rows; r++)");
        code.addStatement("s += dz[r * $L + o] * x[xOffset + r * $L + i]", out, in);
        code.endControlFlow();
        code.addStatement("dw[wo + i] += s");
        code.endControlFlow();
        code.endControlFlow();
        biasGradient(code);
        return code.build();
    }

    // dx (B, in) = dz (B, out) . W (out, in)
    Kernel backwardInput() {
        String doc = "$L: dx (B, $L) = dz (B, $L) \u00b7 $L ($L, $L).\n";
        return new Kernel(inputName(layer),
                CodeBlock.of(doc, layer.name(), in, out, layer.weight().name(), out, in).toString(),
                List.of(floats("dx"), floats("dz"), floats("w"), integer("rows")),
                vectorInput(), scalarInput());
    }

    /*
     * int r = 0;
     * for (; r + 4 <= rows; r += 4) { 4-row tile } for (; r < rows; r++) { 1-row tile }
     */
    private CodeBlock vectorInput() {
        CodeBlock.Builder code = CodeBlock.builder();
        declareBound(code, in);
        code.addStatement("int r = 0");
        code.beginControlFlow("for (; r + $L <= rows; r += $L)", INPUT_ROWS, INPUT_ROWS);
        inputTile(code, INPUT_ROWS);
        code.endControlFlow();
        code.beginControlFlow("for (; r < rows; r++)");
        inputTile(code, 1);
        code.endControlFlow();
        return code.build();
    }

    private void inputTile(CodeBlock.Builder code, int rows) {
        code.beginControlFlow("for (int i = 0; i < $L; i += LANES)", bound(in));
        for (int k = 0; k < rows; k++) {
            code.addStatement("$T acc$L = $T.zero(SPECIES)", FLOAT_VECTOR, k, FLOAT_VECTOR);
        }
        code.beginControlFlow("for (int o = 0; o < $L; o++)", out);
        code.addStatement("$T wv = $T.fromArray(SPECIES, w, $L + o * $L + i)", FLOAT_VECTOR, FLOAT_VECTOR, weight, in);
        for (int k = 0; k < rows; k++) {
            code.addStatement("acc$L = $T.broadcast(SPECIES, dz[$L * $L + o]).fma(wv, acc$L)", k, FLOAT_VECTOR, rowIndex(rows, k), out, k);
        }
        code.endControlFlow();
        for (int k = 0; k < rows; k++) {
            code.addStatement("acc$L.intoArray(dx, $L * $L + i)", k, rowIndex(rows, k), in);
        }
        code.endControlFlow();
        if (hasTail(in)) {
            code.beginControlFlow("for (int i = bound; i < $L; i++)", in);
            for (int k = 0; k < rows; k++) {
                code.addStatement("float s$L = 0f", k);
            }
            code.beginControlFlow("for (int o = 0; o < $L; o++)", out);
            code.addStatement("float wi = w[$L + o * $L + i]", weight, in);
            for (int k = 0; k < rows; k++) {
                code.addStatement("s$L += dz[$L * $L + o] * wi", k, rowIndex(rows, k), out);
            }
            code.endControlFlow();
            for (int k = 0; k < rows; k++) {
                code.addStatement("dx[$L * $L + i] = s$L", rowIndex(rows, k), in, k);
            }
            code.endControlFlow();
        }
    }

    private CodeBlock scalarInput() {
        CodeBlock.Builder code = CodeBlock.builder();
        code.beginControlFlow("for (int r = 0; r < rows; r++)");
        code.beginControlFlow("for (int i = 0; i < $L; i++)", in);
        code.addStatement("float s = 0f");
        code.beginControlFlow("for (int o = 0; o < $L; o++)", out);
        code.addStatement("s += dz[r * $L + o] * w[$L + o * $L + i]", out, weight, in);
        code.endControlFlow();
        code.addStatement("dx[r * $L + i] = s", in);
        code.endControlFlow();
        code.endControlFlow();
        return code.build();
    }

    private static void declareBound(CodeBlock.Builder code, int n) {
        if (hasTail(n)) {
            code.addStatement("int bound = SPECIES.loopBound($L)", n);
        }
    }

    /** {@code r} for a one-row tile, else {@code (r + k)}. */
    private static String rowIndex(int rows, int k) {
        return rows == 1 ? "r" : "(r + " + k + ")";
    }

    /** {@code o} for a one-output tile, else {@code o + c}. */
    private static String outIndex(int outs, int c) {
        return outs == 1 ? "o" : "(o + " + c + ")";
    }
}
