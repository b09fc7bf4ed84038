package dev.kiln.processor.write;

import static dev.kiln.processor.write.Kernel.floats;
import static dev.kiln.processor.write.Kernel.integer;
import static dev.kiln.processor.write.Vectors.FLOAT_VECTOR;
import static dev.kiln.processor.write.Vectors.VECTOR_OPERATORS;
import static dev.kiln.processor.write.Vectors.bound;
import static dev.kiln.processor.write.Vectors.hasTail;

import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.MethodSpec;
import dev.kiln.processor.model.DenseLayer;
import java.util.List;
import javax.lang.model.element.Modifier;

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
    /** Batch forward tile: rows by two vectors of outputs (one panel). */
    private static final int PANEL_ROWS = 6;
    /**
     * The fewest rows for which forward first transposes the weight into panels: the transpose
     * reads and writes the weight once, which pays off over this many rows.
     */
    static final int PANEL_MIN_ROWS = 32;
    /** Weight-gradient tile: outputs by two vectors of inputs. */
    private static final int GRADIENT_OUTS = 6;
    /** Input-gradient tile: rows by two vectors of inputs. */
    private static final int INPUT_ROWS = 6;

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

    /**
     * Whether forward has a batch path over the weight transposed into panels of two vectors of
     * outputs: when whole panels cover the outputs for every vector length.
     */
    static boolean panels(DenseLayer layer) {
        return layer.out() % (2 * Vectors.MAX_LANES) == 0;
    }

    /** Floats of the scratch that holds the weight transposed into panels. */
    static int packedSize(DenseLayer layer) {
        return layer.in() * layer.out();
    }

    static String rowsName(DenseLayer layer) {
        return layer.name() + "ForwardRows";
    }

    static String panelsName(DenseLayer layer) {
        return layer.name() + "ForwardPanels";
    }

    // y (B, out) = x (B, in) . W^T + b
    Kernel forward() {
        String doc = "$L: y (B, $L) = x (B, $L) \u00b7 $L^T$L, for {@code rows} rows of x from {@code xOffset}.\n";
        String text = CodeBlock.of(doc, layer.name(), out, in, layer.weight().name(), bias == null ? "" : " + " + layer.bias().get().name()).toString();
        if (!panels(layer)) {
            return new Kernel(forwardName(layer), text,
                    List.of(floats("y"), floats("x"), integer("xOffset"), floats("w"), integer("rows")),
                    vectorForward(), scalarForward());
        }
        List<com.palantir.javapoet.ParameterSpec> parameters = List.of(floats("y"), floats("x"), integer("xOffset"), floats("w"), floats("packed"), integer("rows"));
        CodeBlock.Builder vector = CodeBlock.builder();
        vector.beginControlFlow("if (rows >= $L)", PANEL_MIN_ROWS);
        vector.addStatement("$N(y, x, xOffset, w, packed, rows)", panelsName(layer));
        vector.nextControlFlow("else");
        vector.addStatement("$N(y, x, xOffset, w, rows)", rowsName(layer));
        vector.endControlFlow();
        MethodSpec rowHelper = MethodSpec.methodBuilder(rowsName(layer))
                .addJavadoc("$L for fewer than $L rows (and batch 1): dot products over the rows of the weight, in tiles of $L rows by\n"
                        + "$L outputs.\n", forwardName(layer), PANEL_MIN_ROWS, FORWARD_ROWS, FORWARD_OUTS)
                .addModifiers(Modifier.PRIVATE)
                .addParameters(List.of(floats("y"), floats("x"), integer("xOffset"), floats("w"), integer("rows")))
                .addCode(vectorForward())
                .build();
        MethodSpec helper = MethodSpec.methodBuilder(panelsName(layer))
                .addJavadoc("$L for $L rows or more: transposes the weight into {@code packed}, panels of P = 2 * LANES\n"
                        + "outputs with the outputs innermost, {@code packed[(o / P) * $L * P + i * P + o % P]}, and multiplies in register\n"
                        + "tiles of $L rows by one panel.\n", forwardName(layer), PANEL_MIN_ROWS, in, PANEL_ROWS)
                .addModifiers(Modifier.PRIVATE)
                .addParameters(parameters)
                .addCode(panelForward())
                .build();
        return new Kernel(forwardName(layer), text + "{@code packed} is scratch for the vector kernel.\n", parameters, vector.build(), scalarForward(),
                List.of(rowHelper, helper));
    }

    /*
     * for (o0 in panels) for (i0 in blocks of 16) for (c < P) for (i < 16) packed[o0 * 784 + (i0 + i) * P + c] = W[o0 + c, i0 + i];
     * for (o in panels) { b = bias; for (r in tiles of 6 rows) { acc = b; for (i < 784) { w0, w1 = packed[panel, i]; acc += x[r.., i] (w0, w1) } y[r.., o..] = acc } }
     */
    private CodeBlock panelForward() {
        CodeBlock.Builder code = CodeBlock.builder();
        code.addStatement("int panel = 2 * LANES");
        code.beginControlFlow("for (int o0 = 0; o0 < $L; o0 += panel)", out);
        code.addStatement("int base = o0 * $L", in);
        code.beginControlFlow("for (int i0 = 0; i0 < $L; i0 += 16)", in);
        code.addStatement("int end = Math.min(16, $L - i0)", in);
        code.beginControlFlow("for (int c = 0; c < panel; c++)");
        code.addStatement("int from = $L + (o0 + c) * $L + i0", weight, in);
        code.addStatement("int to = base + i0 * panel + c");
        code.beginControlFlow("for (int i = 0; i < end; i++)");
        code.addStatement("packed[to + i * panel] = w[from + i]");
        code.endControlFlow();
        code.endControlFlow();
        code.endControlFlow();
        code.endControlFlow();
        code.beginControlFlow("for (int o = 0; o < $L; o += panel)", out);
        code.addStatement("int p = o * $L", in);
        for (int v = 0; v < 2; v++) {
            String at = v == 0 ? "o" : "o + LANES";
            code.addStatement(bias == null ? CodeBlock.of("$T b$L = $T.zero(SPECIES)", FLOAT_VECTOR, v, FLOAT_VECTOR)
                    : CodeBlock.of("$T b$L = $T.fromArray(SPECIES, w, $L + $L)", FLOAT_VECTOR, v, FLOAT_VECTOR, bias, at));
        }
        code.addStatement("int r = 0");
        code.beginControlFlow("for (; r + $L <= rows; r += $L)", PANEL_ROWS, PANEL_ROWS);
        panelTile(code, PANEL_ROWS);
        code.endControlFlow();
        code.beginControlFlow("for (; r < rows; r++)");
        panelTile(code, 1);
        code.endControlFlow();
        code.endControlFlow();
        return code.build();
    }

    private void panelTile(CodeBlock.Builder code, int rows) {
        for (int k = 0; k < rows; k++) {
            code.addStatement("$T acc$L0 = b0", FLOAT_VECTOR, k);
            code.addStatement("$T acc$L1 = b1", FLOAT_VECTOR, k);
        }
        code.addStatement("int x0 = xOffset + r * $L", in);
        code.beginControlFlow("for (int i = 0; i < $L; i++)", in);
        code.addStatement("int q = p + i * panel");
        code.addStatement("$T w0 = $T.fromArray(SPECIES, packed, q)", FLOAT_VECTOR, FLOAT_VECTOR);
        code.addStatement("$T w1 = $T.fromArray(SPECIES, packed, q + LANES)", FLOAT_VECTOR, FLOAT_VECTOR);
        for (int k = 0; k < rows; k++) {
            code.addStatement("$T v$L = $T.broadcast(SPECIES, x[x0 + $L + i])", FLOAT_VECTOR, k, FLOAT_VECTOR, k * in);
            code.addStatement("acc$L0 = v$L.fma(w0, acc$L0)", k, k, k);
            code.addStatement("acc$L1 = v$L.fma(w1, acc$L1)", k, k, k);
        }
        code.endControlFlow();
        for (int k = 0; k < rows; k++) {
            code.addStatement("acc$L0.intoArray(y, $L * $L + o)", k, rowIndex(rows, k), out);
            code.addStatement("acc$L1.intoArray(y, $L * $L + o + LANES)", k, rowIndex(rows, k), out);
        }
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
        String doc = "$L: d $L (out $L, in $L) += dz (B, $L)^T \u00b7 x (B, $L)$L.\n"
                + "{@code dzT} is scratch for the vector kernel: (out $L, B).\n";
        return new Kernel(weightsName(layer),
                CodeBlock.of(doc, layer.name(), layer.weight().name(), out, in, out, in,
                        bias == null ? "" : "; d " + layer.bias().get().name() + " += the column sums of dz", out).toString(),
                List.of(floats("dw"), floats("dz"), floats("x"), integer("xOffset"), floats("dzT"), integer("rows")),
                vectorWeights(), scalarWeights());
    }

    /*
     * for (int i = 0; i < 784; i += 2 * LANES) {            // a column block of x, in L1 for all outputs
     *     for (int o = 0; o < 126; o += 6) { acc = dw[o..o+5, i..]; for (r) acc += dz[r, o..o+5] x[r, i..]; dw[..] = acc; }
     *     for (int o = 126; o < 128; o++) { the same for one output }
     * }
     * then one vector at a time and scalars for the columns past the last block
     */
    private CodeBlock vectorWeights() {
        CodeBlock.Builder code = CodeBlock.builder();
        code.add("// dzT = dz transposed: each output's gradients one after another, read in order by the tiles\n");
        code.beginControlFlow("for (int r = 0; r < rows; r++)");
        code.beginControlFlow("for (int o = 0; o < $L; o++)", out);
        code.addStatement("dzT[o * rows + r] = dz[r * $L + o]", out);
        code.endControlFlow();
        code.endControlFlow();
        declareBlockBound(code, in);
        code.beginControlFlow("for (int i = 0; i < $L; i += 2 * LANES)", blockBound(in));
        outputLoops(code, GRADIENT_OUTS, c -> weightsTile(code, c));
        code.endControlFlow();
        if (hasBlockTail(in)) {
            weightsTail(code);
        }
        biasGradient(code);
        return code.build();
    }

    private void weightsTile(CodeBlock.Builder code, int outs) {
        for (int c = 0; c < outs; c++) {
            code.addStatement("int w$L = $L + $L * $L + i", c, weight, outIndex(outs, c), in);
            code.addStatement("$T acc$L0 = $T.fromArray(SPECIES, dw, w$L)", FLOAT_VECTOR, c, FLOAT_VECTOR, c);
            code.addStatement("$T acc$L1 = $T.fromArray(SPECIES, dw, w$L + LANES)", FLOAT_VECTOR, c, FLOAT_VECTOR, c);
        }
        code.addStatement("int d = o * rows");
        code.beginControlFlow("for (int r = 0; r < rows; r++)");
        code.addStatement("int xr = xOffset + r * $L + i", in);
        code.addStatement("$T x0 = $T.fromArray(SPECIES, x, xr)", FLOAT_VECTOR, FLOAT_VECTOR);
        code.addStatement("$T x1 = $T.fromArray(SPECIES, x, xr + LANES)", FLOAT_VECTOR, FLOAT_VECTOR);
        for (int c = 0; c < outs; c++) {
            code.addStatement("$T v$L = $T.broadcast(SPECIES, dzT[$L + r])", FLOAT_VECTOR, c, FLOAT_VECTOR, c == 0 ? "d" : "d + " + c + " * rows");
            code.addStatement("acc$L0 = v$L.fma(x0, acc$L0)", c, c, c);
            code.addStatement("acc$L1 = v$L.fma(x1, acc$L1)", c, c, c);
        }
        code.endControlFlow();
        for (int c = 0; c < outs; c++) {
            code.addStatement("acc$L0.intoArray(dw, w$L)", c, c);
            code.addStatement("acc$L1.intoArray(dw, w$L + LANES)", c, c);
        }
    }

    /*
     * for (int o = 0; o < 128; o++) {
     *     for (i = iBound; i < SPECIES.loopBound(784); i += LANES) { one vector }  for (; i < 784; i++) { scalar }
     * }
     */
    private void weightsTail(CodeBlock.Builder code) {
        code.beginControlFlow("for (int o = 0; o < $L; o++)", out);
        code.addStatement("int wo = $L + o * $L", weight, in);
        code.addStatement("int i = iBound");
        code.beginControlFlow("for (; i < SPECIES.loopBound($L); i += LANES)", in);
        code.addStatement("$T acc = $T.fromArray(SPECIES, dw, wo + i)", FLOAT_VECTOR, FLOAT_VECTOR);
        code.beginControlFlow("for (int r = 0; r < rows; r++)");
        code.addStatement("acc = $T.broadcast(SPECIES, dzT[o * rows + r]).fma($T.fromArray(SPECIES, x, xOffset + r * $L + i), acc)",
                FLOAT_VECTOR, FLOAT_VECTOR, in);
        code.endControlFlow();
        code.addStatement("acc.intoArray(dw, wo + i)");
        code.endControlFlow();
        if (hasTail(in)) {
            code.beginControlFlow("for (; i < $L; i++)", in);
            code.addStatement("float s = 0f");
            code.beginControlFlow("for (int r = 0; r < rows; r++)");
            code.addStatement("s += dz[r * $L + o] * x[xOffset + r * $L + i]", out, in);
            code.endControlFlow();
            code.addStatement("dw[wo + i] += s");
            code.endControlFlow();
        }
        code.endControlFlow();
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
     * for (int i = 0; i < 784; i += 2 * LANES) {            // a column block of W, in L1 for all rows
     *     int r = 0;
     *     for (; r + 6 <= rows; r += 6) { acc = 0; for (o) acc += dz[r..r+5, o] W[o, i..]; dx[r..r+5, i..] = acc; }
     *     for (; r < rows; r++) { the same for one row }
     * }
     * then one vector at a time and scalars for the columns past the last block
     */
    private CodeBlock vectorInput() {
        CodeBlock.Builder code = CodeBlock.builder();
        declareBlockBound(code, in);
        code.beginControlFlow("for (int i = 0; i < $L; i += 2 * LANES)", blockBound(in));
        code.addStatement("int r = 0");
        code.beginControlFlow("for (; r + $L <= rows; r += $L)", INPUT_ROWS, INPUT_ROWS);
        inputTile(code, INPUT_ROWS);
        code.endControlFlow();
        code.beginControlFlow("for (; r < rows; r++)");
        inputTile(code, 1);
        code.endControlFlow();
        code.endControlFlow();
        if (hasBlockTail(in)) {
            inputTail(code);
        }
        return code.build();
    }

    private void inputTile(CodeBlock.Builder code, int rows) {
        for (int k = 0; k < rows; k++) {
            code.addStatement("$T acc$L0 = $T.zero(SPECIES)", FLOAT_VECTOR, k, FLOAT_VECTOR);
            code.addStatement("$T acc$L1 = $T.zero(SPECIES)", FLOAT_VECTOR, k, FLOAT_VECTOR);
        }
        code.addStatement("int d = r * $L", out);
        code.beginControlFlow("for (int o = 0; o < $L; o++)", out);
        code.addStatement("int wo = $L + o * $L + i", weight, in);
        code.addStatement("$T w0 = $T.fromArray(SPECIES, w, wo)", FLOAT_VECTOR, FLOAT_VECTOR);
        code.addStatement("$T w1 = $T.fromArray(SPECIES, w, wo + LANES)", FLOAT_VECTOR, FLOAT_VECTOR);
        for (int k = 0; k < rows; k++) {
            code.addStatement("$T v$L = $T.broadcast(SPECIES, dz[d + $L + o])", FLOAT_VECTOR, k, FLOAT_VECTOR, k * out);
            code.addStatement("acc$L0 = v$L.fma(w0, acc$L0)", k, k, k);
            code.addStatement("acc$L1 = v$L.fma(w1, acc$L1)", k, k, k);
        }
        code.endControlFlow();
        for (int k = 0; k < rows; k++) {
            code.addStatement("acc$L0.intoArray(dx, $L * $L + i)", k, rowIndex(rows, k), in);
            code.addStatement("acc$L1.intoArray(dx, $L * $L + i + LANES)", k, rowIndex(rows, k), in);
        }
    }

    /*
     * for (int r = 0; r < rows; r++) {
     *     for (i = iBound; i < SPECIES.loopBound(784); i += LANES) { one vector }  for (; i < 784; i++) { scalar }
     * }
     */
    private void inputTail(CodeBlock.Builder code) {
        code.beginControlFlow("for (int r = 0; r < rows; r++)");
        code.addStatement("int i = iBound");
        code.beginControlFlow("for (; i < SPECIES.loopBound($L); i += LANES)", in);
        code.addStatement("$T acc = $T.zero(SPECIES)", FLOAT_VECTOR, FLOAT_VECTOR);
        code.beginControlFlow("for (int o = 0; o < $L; o++)", out);
        code.addStatement("acc = $T.broadcast(SPECIES, dz[r * $L + o]).fma($T.fromArray(SPECIES, w, $L + o * $L + i), acc)",
                FLOAT_VECTOR, out, FLOAT_VECTOR, weight, in);
        code.endControlFlow();
        code.addStatement("acc.intoArray(dx, r * $L + i)", in);
        code.endControlFlow();
        if (hasTail(in)) {
            code.beginControlFlow("for (; i < $L; i++)", in);
            code.addStatement("float s = 0f");
            code.beginControlFlow("for (int o = 0; o < $L; o++)", out);
            code.addStatement("s += dz[r * $L + o] * w[$L + o * $L + i]", out, weight, in);
            code.endControlFlow();
            code.addStatement("dx[r * $L + i] = s", in);
            code.endControlFlow();
        }
        code.endControlFlow();
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

    /** Whether a loop over {@code n} floats in blocks of two vectors can leave a tail. */
    private static boolean hasBlockTail(int n) {
        return n % (2 * Vectors.MAX_LANES) != 0;
    }

    /** int iBound = 784 - 784 % (2 * LANES); where blocks of two vectors may leave a tail. */
    private static void declareBlockBound(CodeBlock.Builder code, int n) {
        if (hasBlockTail(n)) {
            code.addStatement("int iBound = $L - $L % (2 * LANES)", n, n);
        }
    }

    private static String blockBound(int n) {
        return hasBlockTail(n) ? "iBound" : String.valueOf(n);
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
