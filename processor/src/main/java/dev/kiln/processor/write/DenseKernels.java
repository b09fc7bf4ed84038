package dev.kiln.processor.write;

import static dev.kiln.processor.write.Kernel.floats;
import static dev.kiln.processor.write.Kernel.integer;
import static dev.kiln.processor.write.Kernel.ints;
import static dev.kiln.processor.write.Vectors.FLOAT_VECTOR;

import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.MethodSpec;
import dev.kiln.processor.model.DenseLayer;
import java.util.List;
import java.util.function.IntFunction;

/**
 * The three kernels of a Dense layer. The weight {@code W (out, in)} is stored transposed, as
 * {@code W^T (in, out)}, so that every kernel reads it in contiguous vectors along the outputs:
 * forward {@code y = x W^T + b} and the gradient {@code dW^T += x^T dz} are sums of input values
 * times rows of {@code W^T} (broadcast and FMA, no horizontal sums), and the input gradient
 * {@code dx = dz W} is a dot product along the outputs. The vector kernels work in register tiles
 * with one accumulator per vector, so each loaded vector feeds several FMAs. Every vector sum runs
 * in a fixed order, so results do not depend on which JIT tier executes them.
 *
 * <p>Two batch paths keep large layers in cache (W3's 5408-128 layer: its W^T of 2.77 MB exceeds L2,
 * and its rows, 512 bytes apart, fall into few L1 sets). Forward, when whole panels of two vectors
 * cover the outputs, copies the columns of W^T for one panel into the contiguous scratch
 * {@code panel} and runs every 6-row tile over it. The input gradient, for each block of 2 * LANES
 * rows, transposes dz into the scratch {@code dzT} and computes dx^T in tiles of 6 inputs by 2
 * vectors of rows (broadcasting W^T, so each dx element sums along the outputs in order), written
 * to dx through the end of {@code panel}.
 */
final class DenseKernels {
    /** The runtime's helper that lists a row's inputs that are not zero. */
    private static final ClassName NONZERO_INPUTS = ClassName.get("dev.kiln.runtime", "NonzeroInputs");
    /** Forward tile for blocks of rows: rows x vectors of outputs (12 accumulators). */
    private static final int FORWARD_ROWS = 6;
    private static final int FORWARD_VECTORS = 2;
    /** One more tile for 4 or 5 leftover rows (batch 64 = 10 x 6 + 4), so that they read W^T once. */
    private static final int REMAINDER_ROWS = 4;
    /** Forward for single rows (batch 1): inputs per pass over the output row. */
    private static final int SINGLE_ROW_INPUTS = 4;
    /**
     * The same for a W^T of more than {@link #FAR_WEIGHT_BYTES}: read from L3 or memory, a row at a
     * scattered nonzero input costs a miss, and 8 rows per pass keep twice as many misses in flight
     * (W3's 5408-128 layer at batch 1: about 9 % faster; W1's 784-128, whose W^T stays in L2, is
     * slower with 8).
     */
    private static final int FAR_SINGLE_ROW_INPUTS = 8;
    private static final long FAR_WEIGHT_BYTES = 1L << 20;
    /** Forward for single rows with scratch: when more than all but 1 in 8 inputs are not zero, every row of W^T is read. */
    private static final int DENSE_ROW_FRACTION = 8;
    /** Weight-gradient tile: inputs x vectors of outputs (12 accumulators). */
    private static final int GRADIENT_INPUTS = 6;
    private static final int GRADIENT_VECTORS = 2;
    /**
     * The weight-gradient tile of the panel path: 8 accumulators, 2 inputs x 4 vectors of outputs
     * when panels of 4 vectors cover the outputs, else 4 inputs x 2 vectors. It reads x in place
     * (the tile's inputs of a row side by side) and dz from the panel. Against the earlier 6 x 2
     * tile over a transposed copy of x (784-128 at batch 128, AVX2), transpose and tiles together
     * take 0.73-0.90x the time with 2 x 4 (x is read once per 4 vectors of outputs, not per 2),
     * 0.88-1.02x with 4 x 2, and 1.07-1.5x with 6 x 2 or 5 x 2 read in place (12 or 10 accumulators
     * leave too few of AVX2's 16 registers). It also saves the transpose's (in, B) scratch.
     */
    private static final int PANEL_GRADIENT_ACCUMULATORS = 8;
    /** Input-gradient tile: inputs per row. */
    private static final int INPUT_TILE = 4;
    /** Input-gradient tile of the batch path: inputs x 2 vectors of rows. */
    private static final int TRANSPOSED_INPUTS = 6;
    /** Floats of the tile buffer at the end of {@code panel}: 6 inputs x 2 vectors of up to 16 lanes. */
    private static final int TILE_FLOATS = TRANSPOSED_INPUTS * 2 * Vectors.MAX_LANES;

    private final DenseLayer layer;
    private final String weight;
    private final String bias;
    private final int in;
    private final int out;
    /** Inputs per pass of the single-row forward. */
    private final int singleRowInputs;

    DenseKernels(DenseLayer layer) {
        this.layer = layer;
        this.weight = layer.weight().constant();
        this.bias = layer.bias().map(b -> b.constant()).orElse(null);
        this.in = layer.in();
        this.out = layer.out();
        this.singleRowInputs = 4L * in * out > FAR_WEIGHT_BYTES ? FAR_SINGLE_ROW_INPUTS : SINGLE_ROW_INPUTS;
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

    /** Whether forward has the panel path: whole panels of two vectors (of any length up to 16) cover the outputs. */
    static boolean panels(DenseLayer layer) {
        return layer.out() % (2 * Vectors.MAX_LANES) == 0;
    }

    /** Whether the input gradient has the batch path (dx^T in tiles of 6 inputs). */
    static boolean transposedInput(DenseLayer layer) {
        return layer.in() >= TRANSPOSED_INPUTS;
    }

    /** Whether the layer's kernels take the fixed scratch {@code panel} and, for the input gradient, {@code dzT}. */
    static boolean scratch(DenseLayer layer) {
        return panels(layer) || transposedInput(layer);
    }

    /** Floats of {@code panel}: the columns of W^T for one panel (forward), then the input gradient's tile. */
    static int panelFloats(DenseLayer layer) {
        return (panels(layer) ? layer.in() * 2 * Vectors.MAX_LANES : 0) + TILE_FLOATS;
    }

    // ---- forward: y (B, out) = b + x (B, in) . W^T (in, out) ---------------------------------

    Kernel forward() {
        String doc = "$L: y (B, $L) = $Lx (B, $L) \u00b7 $L^T ($L, $L), for {@code rows} rows of x from {@code xOffset}.\n";
        String text = CodeBlock.of(doc, layer.name(), out, bias == null ? "" : layer.bias().get().name() + " + ", in, layer.weight().name(), in, out).toString();
        if (!scratch(layer)) {
            return new Kernel(forwardName(layer), text,
                    List.of(floats("y"), floats("x"), integer("xOffset"), floats("w"), integer("rows")),
                    vectorForward(), scalarForward(),
                    List.of(rowsHelper(FORWARD_ROWS), rowsHelper(REMAINDER_ROWS), rowHelper()));
        }
        List<MethodSpec> helpers = panels(layer)
                ? List.of(panelHelper(), panelRowsHelper(FORWARD_ROWS), panelRowsHelper(REMAINDER_ROWS), rowsHelper(REMAINDER_ROWS), rowHelper(),
                        everyRowHelper(denseRowName()), sparseRowHelper())
                : List.of(rowsHelper(FORWARD_ROWS), rowsHelper(REMAINDER_ROWS), rowHelper(), everyRowHelper(denseRowName()), sparseRowHelper());
        return new Kernel(forwardName(layer), text + "{@code panel} and {@code nonzero} are scratch for the vector kernel.\n",
                List.of(floats("y"), floats("x"), integer("xOffset"), floats("w"), floats("panel"), ints("nonzero"), integer("rows")),
                panels(layer) ? vectorPanelForward() : vectorForward(), scalarForward(), helpers);
    }

    private String panelName() {
        return forwardName(layer) + "Panel";
    }

    private String panelRowsName(int rows) {
        return forwardName(layer) + rows + "RowsOfPanel";
    }

    /*
     * int r = 0;
     * if (rows >= 6) {
     *     for (int o = 0; o < 128; o += 2 * LANES) {
     *         hiddenForwardPanel(w, panel, o);                      // panel (784, 2 * LANES) = W^T[:, o ..]
     *         for (r = 0; r + 6 <= rows; r += 6) { hiddenForward6RowsOfPanel(y, x, xOffset, w, panel, r, o); }
     *         if (r + 4 <= rows) { hiddenForward4RowsOfPanel(y, x, xOffset, w, panel, r, o); r += 4; }
     *     }
     * }
     * then the leftover rows (all of them for fewer than 6) as without panels
     */
    private CodeBlock vectorPanelForward() {
        CodeBlock.Builder code = CodeBlock.builder();
        code.addStatement("int r = 0");
        code.beginControlFlow("if (rows >= $L)", FORWARD_ROWS);
        code.beginControlFlow("for (int o = 0; o < $L; o += 2 * LANES)", out);
        code.addStatement("$N(w, panel, o)", panelName());
        code.beginControlFlow("for (r = 0; r + $L <= rows; r += $L)", FORWARD_ROWS, FORWARD_ROWS);
        code.addStatement("$N(y, x, xOffset, w, panel, r, o)", panelRowsName(FORWARD_ROWS));
        code.endControlFlow();
        code.beginControlFlow("if (r + $L <= rows)", REMAINDER_ROWS);
        code.addStatement("$N(y, x, xOffset, w, panel, r, o)", panelRowsName(REMAINDER_ROWS));
        code.addStatement("r += $L", REMAINDER_ROWS);
        code.endControlFlow();
        code.endControlFlow();
        code.endControlFlow();
        code.beginControlFlow("if (r + $L <= rows)", REMAINDER_ROWS);
        code.addStatement("$N(y, x, xOffset, w, r)", rowsName(REMAINDER_ROWS));
        code.addStatement("r += $L", REMAINDER_ROWS);
        code.endControlFlow();
        leftoverRows(code);
        return code.build();
    }

    // for (; r < rows; r++) { hiddenForwardRow(y, x, xOffset, w, nonzero, r); }
    private void leftoverRows(CodeBlock.Builder code) {
        code.beginControlFlow("for (; r < rows; r++)");
        if (scratch(layer)) {
            code.addStatement("$N(y, x, xOffset, w, nonzero, r)", rowName());
        } else {
            code.addStatement("$N(y, x, xOffset, w, r)", rowName());
        }
        code.endControlFlow();
    }

    // for (int i = 0; i < 784; i++) { panel[i * 2 * LANES ..] = W^T[i, o .. o + 2 * LANES) }
    private MethodSpec panelHelper() {
        CodeBlock.Builder code = CodeBlock.builder();
        columnPanel(code, "i", String.valueOf(in), "wi", weight + " + ", "w", "panel", 2);
        return helper(panelName(), "Copies the columns o to o + 2 * LANES - 1 of " + layer.weight().name() + "^T into panel ("
                + in + ", 2 * LANES), one row after another.", code.build(), floats("w"), floats("panel"), integer("o"));
    }

    /*
     * The columns o to o + vectors * LANES - 1 of a matrix of `out` columns (W^T or dz), copied row after row into a contiguous
     * panel, whose vectors * LANES floats a row stay in few cache lines where the matrix's rows (512 bytes apart for 128 columns)
     * fall into few L1 sets; for 128 columns and 2 vectors:
     * for (int r = 0; r < rows; r++) { int zr = r * 128 + o; panel[r * 2 * LANES ..] = matrix[zr ..], matrix[zr + LANES ..] }
     */
    private void columnPanel(CodeBlock.Builder code, String row, String rows, String start, String base, String matrix, String panel, int vectors) {
        code.beginControlFlow("for (int $L = 0; $L < $L; $L++)", row, row, rows, row);
        code.addStatement("int $L = $L$L * $L + o", start, base, row, out);
        for (int c = 0; c < vectors; c++) {
            code.addStatement("$T.fromArray(SPECIES, $L, $L$L).intoArray($L, $L * $L * LANES$L)", FLOAT_VECTOR, matrix, start, laneOffset(c), panel,
                    row, vectors, laneOffset(c));
        }
        code.endControlFlow();
    }

    /** Rows r to r + rows - 1 of forward for the outputs o to o + 2 * LANES - 1, from the panel. */
    private MethodSpec panelRowsHelper(int rows) {
        CodeBlock.Builder code = CodeBlock.builder();
        for (int k = 0; k < rows; k++) {
            code.addStatement("int x$L = xOffset + $L * $L", k, rowIndex(rows, k), in);
        }
        for (int k = 0; k < rows; k++) {
            for (int c = 0; c < FORWARD_VECTORS; c++) {
                code.addStatement("$T acc$L$L = $T.zero(SPECIES)", FLOAT_VECTOR, k, c, FLOAT_VECTOR);
            }
        }
        code.beginControlFlow("for (int i = 0; i < $L; i++)", in);
        code.addStatement("int p = i * 2 * LANES");
        for (int c = 0; c < FORWARD_VECTORS; c++) {
            code.addStatement("$T w$L = $T.fromArray(SPECIES, panel, p$L)", FLOAT_VECTOR, c, FLOAT_VECTOR, laneOffset(c));
        }
        for (int k = 0; k < rows; k++) {
            code.addStatement("$T x$Lv = $T.broadcast(SPECIES, x[x$L + i])", FLOAT_VECTOR, k, FLOAT_VECTOR, k);
            for (int c = 0; c < FORWARD_VECTORS; c++) {
                code.addStatement("acc$L$L = x$Lv.fma(w$L, acc$L$L)", k, c, k, c, k, c);
            }
        }
        code.endControlFlow();
        if (bias != null) {
            for (int c = 0; c < FORWARD_VECTORS; c++) {
                code.addStatement("$T b$L = $T.fromArray(SPECIES, w, $L + o$L)", FLOAT_VECTOR, c, FLOAT_VECTOR, bias, laneOffset(c));
            }
        }
        for (int k = 0; k < rows; k++) {
            for (int c = 0; c < FORWARD_VECTORS; c++) {
                code.addStatement("acc$L$L$L.intoArray(y, $L * $L + o$L)", k, c, bias == null ? "" : ".add(b" + c + ")", rowIndex(rows, k), out, laneOffset(c));
            }
        }
        return helper(panelRowsName(rows), "Rows r to r + " + (rows - 1) + " of " + forwardName(layer) + " for the outputs o to o + 2 * LANES - 1, "
                + "reading their weights from the panel in order.", code.build(),
                floats("y"), floats("x"), integer("xOffset"), floats("w"), floats("panel"), integer("r"), integer("o"));
    }

    private String rowsName(int rows) {
        return forwardName(layer) + rows + "Rows";
    }

    private String rowName() {
        return forwardName(layer) + "Row";
    }

    /*
     * int r = 0;
     * for (; r + 6 <= rows; r += 6) { hiddenForward6Rows(y, x, xOffset, w, r); }
     * if (r + 4 <= rows) { hiddenForward4Rows(y, x, xOffset, w, r); r += 4; }
     * for (; r < rows; r++) { hiddenForwardRow(y, x, xOffset, w, r); }
     */
    private CodeBlock vectorForward() {
        CodeBlock.Builder code = CodeBlock.builder();
        code.addStatement("int r = 0");
        code.beginControlFlow("for (; r + $L <= rows; r += $L)", FORWARD_ROWS, FORWARD_ROWS);
        code.addStatement("$N(y, x, xOffset, w, r)", rowsName(FORWARD_ROWS));
        code.endControlFlow();
        code.beginControlFlow("if (r + $L <= rows)", REMAINDER_ROWS);
        code.addStatement("$N(y, x, xOffset, w, r)", rowsName(REMAINDER_ROWS));
        code.addStatement("r += $L", REMAINDER_ROWS);
        code.endControlFlow();
        leftoverRows(code);
        return code.build();
    }

    /** Rows r to r + rows - 1 in register tiles of that many rows by 2 vectors of outputs. */
    private MethodSpec rowsHelper(int rows) {
        CodeBlock.Builder code = CodeBlock.builder();
        outputLoops(code, FORWARD_VECTORS, c -> forwardTile(code, rows, c), () -> forwardScalarOutput(code, rows));
        return helper(rowsName(rows), "Rows r to r + " + (rows - 1) + " of " + forwardName(layer) + ", in tiles of " + rows + " rows by "
                + FORWARD_VECTORS + " vectors of outputs.", code.build(), floats("y"), floats("x"), integer("xOffset"), floats("w"), integer("r"));
    }

    /**
     * One row: streams W^T 4 rows at a time (8 for a W^T beyond L2) into y[r, :]; with scratch,
     * only the rows of W^T whose input is not zero.
     */
    private MethodSpec rowHelper() {
        if (!scratch(layer)) {
            return everyRowHelper(rowName());
        }
        CodeBlock.Builder code = CodeBlock.builder();
        sparseRowDispatch(code);
        return helper(rowName(), "Row r of " + forwardName(layer) + ": lists the inputs that are not zero, then streams into y[r, :] only their"
                + " rows of " + layer.weight().name() + "^T,\nor all rows when at most one input in " + DENSE_ROW_FRACTION + " is zero. A zero"
                + " input adds nothing, so its row need not be read: the sums\nare those of every row (a NaN or infinite weight times a zero"
                + " input is the one exception).",
                code.build(), floats("y"), floats("x"), integer("xOffset"), floats("w"), ints("nonzero"), integer("r"));
    }

    private String denseRowName() {
        return forwardName(layer) + "DenseRow";
    }

    private String sparseRowName() {
        return forwardName(layer) + "SparseRow";
    }

    /*
     * A single row is limited by reading W^T, so only the rows of inputs that are not zero are read
     * (ReLU outputs and image backgrounds are often half zeros):
     * int count = NonzeroInputs.list(x, xOffset + r * 784, 784, nonzero);
     * if (count > 784 - 784 / 8) { hiddenForwardDenseRow(y, x, xOffset, w, r); } else { hiddenForwardSparseRow(y, x, xOffset, w, nonzero, count, r); }
     */
    private void sparseRowDispatch(CodeBlock.Builder code) {
        code.addStatement("int count = $T.list(x, xOffset + r * $L, $L, nonzero)", NONZERO_INPUTS, in, in);
        code.beginControlFlow("if (count > $L)", in - in / DENSE_ROW_FRACTION);
        code.addStatement("$N(y, x, xOffset, w, r)", denseRowName());
        code.nextControlFlow("else");
        code.addStatement("$N(y, x, xOffset, w, nonzero, count, r)", sparseRowName());
        code.endControlFlow();
    }

    /** One row, reading every row of W^T: the row helper without scratch, the dense branch with it. */
    private MethodSpec everyRowHelper(String name) {
        CodeBlock.Builder code = CodeBlock.builder();
        singleRowForward(code);
        return helper(name, "Row r of " + forwardName(layer) + ": streams " + layer.weight().name() + "^T into y[r, :], "
                + singleRowInputs + " of its rows at a time.", code.build(), floats("y"), floats("x"), integer("xOffset"), floats("w"), integer("r"));
    }

    /*
     * y[r, :] = 0;
     * for (k = 0; k + 4 <= count; k += 4) { y[r, :] += x[r, i0] W^T[i0, :] + ... + x[r, i3] W^T[i3, :] }, i0..i3 = nonzero[k..k + 3]
     * (8 at a time for a W^T beyond L2), then the last ones one by one; y[r, :] += b;
     */
    private MethodSpec sparseRowHelper() {
        CodeBlock.Builder code = CodeBlock.builder();
        clearRow(code);
        code.addStatement("int k = 0");
        code.beginControlFlow("for (; k + $L <= count; k += $L)", singleRowInputs, singleRowInputs);
        sparseRowStep(code, singleRowInputs);
        code.endControlFlow();
        code.beginControlFlow("for (; k < count; k++)");
        sparseRowStep(code, 1);
        code.endControlFlow();
        addBias(code);
        return helper(sparseRowName(), "Row r of " + forwardName(layer) + ": streams into y[r, :] the rows nonzero[0 .. count) of "
                + layer.weight().name() + "^T, " + singleRowInputs + " at a time, in order.", code.build(),
                floats("y"), floats("x"), integer("xOffset"), floats("w"), ints("nonzero"), integer("count"), integer("r"));
    }

    // int i0 = nonzero[k]; int w0 = HIDDEN_WEIGHT + i0 * 128; ... then the step over rows i0, i1, ... of W^T
    private void sparseRowStep(CodeBlock.Builder code, int inputs) {
        for (int k = 0; k < inputs; k++) {
            code.addStatement("int i$L = nonzero[k$L]", k, k == 0 ? "" : " + " + k);
        }
        for (int k = 0; k < inputs; k++) {
            code.addStatement("int w$L = $L + i$L * $L", k, weight, k, out);
        }
        rowStep(code, inputs, k -> "i" + k, k -> "w" + k);
    }

    private static MethodSpec helper(String name, String doc, CodeBlock body, com.palantir.javapoet.ParameterSpec... parameters) {
        return MethodSpec.methodBuilder(name)
                .addJavadoc(doc + "\n")
                .addModifiers(javax.lang.model.element.Modifier.PRIVATE, javax.lang.model.element.Modifier.STATIC)
                .addParameters(List.of(parameters))
                .addCode(body)
                .build();
    }

    /*
     * One row streams W^T row by row, 4 inputs at a time (8 for a W^T beyond L2), adding into its output row:
     * y[r, :] = 0; for (int i = 0; i < 784; i += 4) { for (o ...) y[r, o ..] += x[r, i] W^T[i, o ..] + ... + x[r, i + 3] W^T[i + 3, o ..] }
     * y[r, :] += b;
     */
    private void singleRowForward(CodeBlock.Builder code) {
        clearRow(code);
        int blocked = in - in % singleRowInputs;
        if (blocked > 0) {
            code.beginControlFlow("for (int i = 0; i < $L; i += $L)", blocked, singleRowInputs);
            singleRowStep(code, singleRowInputs);
            code.endControlFlow();
        }
        if (blocked < in) {
            code.beginControlFlow("for (int i = $L; i < $L; i++)", blocked, in);
            singleRowStep(code, 1);
            code.endControlFlow();
        }
        addBias(code);
    }

    // int xr = xOffset + r * 784; int yr = r * 128; y[r, :] = 0;
    private void clearRow(CodeBlock.Builder code) {
        code.addStatement("int xr = xOffset + r * $L", in);
        code.addStatement("int yr = r * $L", out);
        code.beginControlFlow("for (int o = 0; o < $L; o++)", out);
        code.addStatement("y[yr + o] = 0f");
        code.endControlFlow();
    }

    // for (int o = 0; o < 128; o += LANES) { y[r, o ..] += b[o ..] }
    private void addBias(CodeBlock.Builder code) {
        if (bias == null) {
            return;
        }
        code.beginControlFlow("for (int o = 0; o < $L - $L % LANES; o += LANES)", out, out);
        code.addStatement("$T.fromArray(SPECIES, y, yr + o).add($T.fromArray(SPECIES, w, $L + o)).intoArray(y, yr + o)",
                FLOAT_VECTOR, FLOAT_VECTOR, bias);
        code.endControlFlow();
        if (out % Vectors.MAX_LANES != 0) {
            code.beginControlFlow("for (int o = $L - $L % LANES; o < $L; o++)", out, out, out);
            code.addStatement("y[yr + o] += w[$L + o]", bias);
            code.endControlFlow();
        }
    }

    // int wi = HIDDEN_WEIGHT + i * 128; then the step over rows i, i + 1, ... of W^T
    private void singleRowStep(CodeBlock.Builder code, int inputs) {
        code.addStatement("int wi = $L + i * $L", weight, out);
        rowStep(code, inputs, k -> inputIndex(inputs, k), k -> "wi" + rowOffset(k));
    }

    /*
     * FloatVector x0v = FloatVector.broadcast(SPECIES, x[xr + <input k>]); ...
     * for (int o = 0; o < 128; o += LANES) { y[r, o ..] += x0v * w[<row k> + o ..] + ... }, in order, then any scalar tail
     */
    private void rowStep(CodeBlock.Builder code, int inputs, IntFunction<String> input, IntFunction<String> row) {
        for (int k = 0; k < inputs; k++) {
            code.addStatement("$T x$Lv = $T.broadcast(SPECIES, x[xr + $L])", FLOAT_VECTOR, k, FLOAT_VECTOR, input.apply(k));
        }
        code.beginControlFlow("for (int o = 0; o < $L - $L % LANES; o += LANES)", out, out);
        code.addStatement("$T acc = $T.fromArray(SPECIES, y, yr + o)", FLOAT_VECTOR, FLOAT_VECTOR);
        for (int k = 0; k < inputs; k++) {
            code.addStatement("acc = x$Lv.fma($T.fromArray(SPECIES, w, $L + o), acc)", k, FLOAT_VECTOR, row.apply(k));
        }
        code.addStatement("acc.intoArray(y, yr + o)");
        code.endControlFlow();
        if (out % Vectors.MAX_LANES != 0) {
            code.beginControlFlow("for (int o = $L - $L % LANES; o < $L; o++)", out, out, out);
            for (int k = 0; k < inputs; k++) {
                code.addStatement("y[yr + o] += x[xr + $L] * w[$L + o]", input.apply(k), row.apply(k));
            }
            code.endControlFlow();
        }
    }

    /**
     * for (int o = 0; o < out - out % (n * LANES); o += n * LANES) {n-vector tile}
     * for (...; o < out - out % LANES; o += LANES) {1-vector tile}
     * for (...; o < out; o++) {one output at a time}
     * Loops that cannot run for any vector of up to 16 lanes are left out.
     */
    private void outputLoops(CodeBlock.Builder code, int vectors, java.util.function.IntConsumer tile, Runnable scalar) {
        String wide = "o < " + out + " - " + out + " % (" + vectors + " * LANES)";
        code.beginControlFlow("for (int o = 0; $L; o += $L * LANES)", wide, vectors);
        tile.accept(vectors);
        code.endControlFlow();
        if (vectors > 1 && out % (vectors * Vectors.MAX_LANES) != 0) {
            code.beginControlFlow("for (int o = $L - $L % ($L * LANES); o < $L - $L % LANES; o += LANES)", out, out, vectors, out, out);
            tile.accept(1);
            code.endControlFlow();
        }
        if (out % Vectors.MAX_LANES != 0) {
            code.beginControlFlow("for (int o = $L - $L % LANES; o < $L; o++)", out, out, out);
            scalar.run();
            code.endControlFlow();
        }
    }

    /*
     * int x0 = xOffset + (r + 0) * 784;
     * FloatVector acc00 = FloatVector.zero(SPECIES);
     * for (int i = 0; i < 784; i++) {
     *     int wi = HIDDEN_WEIGHT + i * 128 + o;
     *     FloatVector w0 = FloatVector.fromArray(SPECIES, w, wi); ...
     *     FloatVector xv = FloatVector.broadcast(SPECIES, x[x0 + i]);
     *     acc00 = xv.fma(w0, acc00); ...
     * }
     * FloatVector b0 = FloatVector.fromArray(SPECIES, w, HIDDEN_BIAS + o);  // the bias last, as PyTorch's addmm
     * acc00.add(b0).intoArray(y, (r + 0) * 128 + o);
     */
    private void forwardTile(CodeBlock.Builder code, int rows, int vectors) {
        for (int k = 0; k < rows; k++) {
            code.addStatement("int x$L = xOffset + $L * $L", k, rowIndex(rows, k), in);
        }
        for (int k = 0; k < rows; k++) {
            for (int c = 0; c < vectors; c++) {
                code.addStatement("$T acc$L$L = $T.zero(SPECIES)", FLOAT_VECTOR, k, c, FLOAT_VECTOR);
            }
        }
        code.beginControlFlow("for (int i = 0; i < $L; i++)", in);
        code.addStatement("int wi = $L + i * $L + o", weight, out);
        for (int c = 0; c < vectors; c++) {
            code.addStatement("$T w$L = $T.fromArray(SPECIES, w, wi$L)", FLOAT_VECTOR, c, FLOAT_VECTOR, laneOffset(c));
        }
        for (int k = 0; k < rows; k++) {
            code.addStatement("$T x$Lv = $T.broadcast(SPECIES, x[x$L + i])", FLOAT_VECTOR, k, FLOAT_VECTOR, k);
            for (int c = 0; c < vectors; c++) {
                code.addStatement("acc$L$L = x$Lv.fma(w$L, acc$L$L)", k, c, k, c, k, c);
            }
        }
        code.endControlFlow();
        if (bias != null) {
            for (int c = 0; c < vectors; c++) {
                code.addStatement("$T b$L = $T.fromArray(SPECIES, w, $L + o$L)", FLOAT_VECTOR, c, FLOAT_VECTOR, bias, laneOffset(c));
            }
        }
        for (int k = 0; k < rows; k++) {
            for (int c = 0; c < vectors; c++) {
                code.addStatement("acc$L$L$L.intoArray(y, $L * $L + o$L)", k, c, bias == null ? "" : ".add(b" + c + ")", rowIndex(rows, k), out, laneOffset(c));
            }
        }
    }

    /** One output for a tile of rows, when the outputs do not fill a vector. */
    private void forwardScalarOutput(CodeBlock.Builder code, int rows) {
        for (int k = 0; k < rows; k++) {
            code.addStatement("float s$L = 0f", k);
        }
        code.beginControlFlow("for (int i = 0; i < $L; i++)", in);
        code.addStatement("float wi = w[$L + i * $L + o]", weight, out);
        for (int k = 0; k < rows; k++) {
            code.addStatement("s$L += x[xOffset + $L * $L + i] * wi", k, rowIndex(rows, k), in);
        }
        code.endControlFlow();
        for (int k = 0; k < rows; k++) {
            code.addStatement("y[$L * $L + o] = s$L$L", rowIndex(rows, k), out, k, bias == null ? "" : " + w[" + bias + " + o]");
        }
    }

    /*
     * for (int r = 0; r < rows; r++) {
     *     y[r, :] = b;  for (int i = 0; i < 784; i++) { float xi = x[r, i]; for (o ...) y[r, o] += xi * W^T[i, o]; } }
     */
    private CodeBlock scalarForward() {
        CodeBlock.Builder code = CodeBlock.builder();
        code.beginControlFlow("for (int r = 0; r < rows; r++)");
        code.addStatement("int yr = r * $L", out);
        code.beginControlFlow("for (int o = 0; o < $L; o++)", out);
        code.addStatement("y[yr + o] = 0f");
        code.endControlFlow();
        code.beginControlFlow("for (int i = 0; i < $L; i++)", in);
        code.addStatement("float xi = x[xOffset + r * $L + i]", in);
        code.addStatement("int wi = $L + i * $L", weight, out);
        code.beginControlFlow("for (int o = 0; o < $L; o++)", out);
        code.addStatement("y[yr + o] += xi * w[wi + o]");
        code.endControlFlow();
        code.endControlFlow();
        if (bias != null) {
            code.beginControlFlow("for (int o = 0; o < $L; o++)", out);
            code.addStatement("y[yr + o] += w[$L + o]", bias);
            code.endControlFlow();
        }
        code.endControlFlow();
        return code.build();
    }

    // ---- parameter gradients: dW^T (in, out) += x^T (in, B) . dz (B, out); db += sum(dz) -------

    Kernel backwardWeights() {
        String doc = "$L: d $L^T ($L, $L) += x^T ($L, B) \u00b7 dz (B, $L)$L.\n";
        String text = CodeBlock.of(doc, layer.name(), layer.weight().name(), in, out, in, out,
                bias == null ? "" : "; d " + layer.bias().get().name() + " += the column sums of dz").toString();
        if (!gradientPanels(layer)) {
            return new Kernel(weightsName(layer), text,
                    List.of(floats("dw"), floats("dz"), floats("x"), integer("xOffset"), integer("rows")),
                    vectorWeights(), scalarWeights(), List.of(inputsHelper(GRADIENT_INPUTS), inputsHelper(1)));
        }
        return new Kernel(weightsName(layer), text + "{@code dzPanel} (B, " + gradientPanelVectors(layer) + " * LANES) is scratch for the vector kernel.\n",
                List.of(floats("dw"), floats("dz"), floats("x"), integer("xOffset"), floats("dzPanel"), integer("rows")),
                vectorPanelWeights(), scalarWeights(), List.of(gradientPanelHelper(), gradientPanelInputsHelper(), inputsHelper(1)));
    }

    /**
     * Whether the weight gradient has the panel path: whole panels of two vectors cover the outputs,
     * and there are whole tiles of inputs. Its scratch is the input gradient's {@code dzT} (B, out)
     * for the panel.
     */
    static boolean gradientPanels(DenseLayer layer) {
        return panels(layer) && layer.in() >= gradientPanelInputs(layer);
    }

    /** The vectors of outputs in a panel of the weight gradient: 4 when such panels cover the outputs, else 2. */
    private static int gradientPanelVectors(DenseLayer layer) {
        return layer.out() % (4 * Vectors.MAX_LANES) == 0 ? 4 : 2;
    }

    /** The inputs of the weight gradient's panel tile. */
    private static int gradientPanelInputs(DenseLayer layer) {
        return PANEL_GRADIENT_ACCUMULATORS / gradientPanelVectors(layer);
    }

    private String gradientPanelName() {
        return weightsName(layer) + "Panel";
    }

    private String gradientPanelInputsName() {
        return weightsName(layer) + gradientPanelInputs(layer) + "InputsOfPanel";
    }

    /*
     * The tiles sum over the rows of the batch: each row adds its tile's inputs (2, or 4 beside
     * panels of 2 vectors), side by side in x, times its dz for the panel's outputs. The columns of
     * dz for one panel, 512 bytes apart in dz, would fall into few L1 sets; copied into a contiguous
     * panel they stay in L1 while every tile of inputs reads them:
     * for (int o = 0; o < 128; o += 4 * LANES) {
     *     hiddenBackwardWeightsPanel(dz, dzPanel, rows, o);          // dzPanel (B, 4 * LANES) = dz[:, o ..]
     *     for (int i = 0; i < 784; i += 2) { hiddenBackwardWeights2InputsOfPanel(dw, dzPanel, x, xOffset, rows, i, o); }
     * }
     * for any inputs left after the last tile: hiddenBackwardWeightsInput(dw, dz, x, xOffset, rows, i);
     * the bias: d b[o ..] += dz[r, o ..] over the rows
     */
    private CodeBlock vectorPanelWeights() {
        CodeBlock.Builder code = CodeBlock.builder();
        int inputs = gradientPanelInputs(layer);
        int blocked = in - in % inputs;
        code.beginControlFlow("for (int o = 0; o < $L; o += $L * LANES)", out, gradientPanelVectors(layer));
        code.addStatement("$N(dz, dzPanel, rows, o)", gradientPanelName());
        code.beginControlFlow("for (int i = 0; i < $L; i += $L)", blocked, inputs);
        code.addStatement("$N(dw, dzPanel, x, xOffset, rows, i, o)", gradientPanelInputsName());
        code.endControlFlow();
        code.endControlFlow();
        leftoverInputsAndBias(code, blocked);
        return code.build();
    }

    /*
     * for (int i = 780; i < 784; i++) { hiddenBackwardWeightsInput(dw, dz, x, xOffset, rows, i); }
     * the bias: d b[o ..] += dz[r, o ..] over the rows
     */
    private void leftoverInputsAndBias(CodeBlock.Builder code, int blocked) {
        if (blocked < in) {
            code.beginControlFlow("for (int i = $L; i < $L; i++)", blocked, in);
            code.addStatement("$N(dw, dz, x, xOffset, rows, i)", inputsName(1));
            code.endControlFlow();
        }
        if (bias != null) {
            outputLoops(code, 1, c -> biasTile(code), () -> biasScalarOutput(code));
        }
    }

    // for (int r = 0; r < rows; r++) { dzPanel[r * 4 * LANES ..] = dz[r, o .. o + 4 * LANES) }
    private MethodSpec gradientPanelHelper() {
        CodeBlock.Builder code = CodeBlock.builder();
        int vectors = gradientPanelVectors(layer);
        columnPanel(code, "r", "rows", "zr", "", "dz", "dzPanel", vectors);
        return helper(gradientPanelName(), "Copies the columns o to o + " + vectors + " * LANES - 1 of dz into dzPanel (B, " + vectors
                + " * LANES), one row after another.",
                code.build(), floats("dz"), floats("dzPanel"), integer("rows"), integer("o"));
    }

    /** Rows i to i + 1 of d W^T for the outputs o to o + 4 * LANES - 1, reading dz from the panel; the rows of the batch in order. */
    private MethodSpec gradientPanelInputsHelper() {
        CodeBlock.Builder code = CodeBlock.builder();
        int inputs = gradientPanelInputs(layer);
        int vectors = gradientPanelVectors(layer);
        weightsTile(code, inputs, vectors, true);
        return helper(gradientPanelInputsName(), "Rows i to i + " + (inputs - 1) + " of d " + layer.weight().name()
                + "^T for the outputs o to o + " + vectors + " * LANES - 1, reading x in place and dz from the panel, in order.",
                code.build(), floats("dw"), floats("dzPanel"), floats("x"), integer("xOffset"), integer("rows"), integer("i"), integer("o"));
    }

    private String inputsName(int inputs) {
        return weightsName(layer) + (inputs == 1 ? "Input" : inputs + "Inputs");
    }

    /*
     * for (int i = 0; i < 780; i += 6) { hiddenBackwardWeights6Inputs(dw, dz, x, xOffset, rows, i); }
     * for (int i = 780; i < 784; i++) { hiddenBackwardWeightsInput(dw, dz, x, xOffset, rows, i); }
     * the bias: d b[o ..] += dz[r, o ..] over the rows
     */
    private CodeBlock vectorWeights() {
        CodeBlock.Builder code = CodeBlock.builder();
        int blocked = in - in % GRADIENT_INPUTS;
        if (blocked > 0) {
            code.beginControlFlow("for (int i = 0; i < $L; i += $L)", blocked, GRADIENT_INPUTS);
            code.addStatement("$N(dw, dz, x, xOffset, rows, i)", inputsName(GRADIENT_INPUTS));
            code.endControlFlow();
        }
        leftoverInputsAndBias(code, blocked);
        return code.build();
    }

    /** The gradient rows i to i + inputs - 1 of W^T, summed over all rows of the batch. */
    private MethodSpec inputsHelper(int inputs) {
        CodeBlock.Builder code = CodeBlock.builder();
        outputLoops(code, GRADIENT_VECTORS, c -> weightsTile(code, inputs, c, false), () -> weightsScalarOutput(code, inputs));
        return helper(inputsName(inputs), (inputs == 1 ? "Row i" : "Rows i to i + " + (inputs - 1)) + " of d " + layer.weight().name()
                + "^T, in tiles of " + inputs + (inputs == 1 ? " input" : " inputs") + " by " + GRADIENT_VECTORS + " vectors of outputs.",
                code.build(), floats("dw"), floats("dz"), floats("x"), integer("xOffset"), integer("rows"), integer("i"));
    }

    /*
     * int d0 = HIDDEN_WEIGHT + (i + 0) * 128 + o;
     * FloatVector acc00 = FloatVector.fromArray(SPECIES, dw, d0);
     * for (int r = 0; r < rows; r++) {
     *     FloatVector g0 = FloatVector.fromArray(SPECIES, dz, r * 128 + o);
     *     FloatVector xv = FloatVector.broadcast(SPECIES, x[xOffset + r * 784 + i + 0]);
     *     acc00 = xv.fma(g0, acc00); ...
     * }
     * acc00.intoArray(dw, d0);
     */
    private void weightsTile(CodeBlock.Builder code, int inputs, int vectors, boolean fromPanel) {
        for (int k = 0; k < inputs; k++) {
            code.addStatement("int d$L = $L + $L * $L + o", k, weight, inputIndex(inputs, k), out);
        }
        for (int k = 0; k < inputs; k++) {
            for (int c = 0; c < vectors; c++) {
                code.addStatement("$T acc$L$L = $T.fromArray(SPECIES, dw, d$L$L)", FLOAT_VECTOR, k, c, FLOAT_VECTOR, k, laneOffset(c));
            }
        }
        code.beginControlFlow("for (int r = 0; r < rows; r++)");
        code.addStatement("int xr = xOffset + r * $L + i", in);
        if (fromPanel) {
            code.addStatement("int zr = r * $L * LANES", vectors);
        } else {
            code.addStatement("int zr = r * $L + o", out);
        }
        for (int c = 0; c < vectors; c++) {
            code.addStatement("$T g$L = $T.fromArray(SPECIES, $L, zr$L)", FLOAT_VECTOR, c, FLOAT_VECTOR, fromPanel ? "dzPanel" : "dz", laneOffset(c));
        }
        for (int k = 0; k < inputs; k++) {
            code.addStatement("$T x$Lv = $T.broadcast(SPECIES, x[xr$L])", FLOAT_VECTOR, k, FLOAT_VECTOR, k == 0 ? "" : " + " + k);
            for (int c = 0; c < vectors; c++) {
                code.addStatement("acc$L$L = x$Lv.fma(g$L, acc$L$L)", k, c, k, c, k, c);
            }
        }
        code.endControlFlow();
        for (int k = 0; k < inputs; k++) {
            for (int c = 0; c < vectors; c++) {
                code.addStatement("acc$L$L.intoArray(dw, d$L$L)", k, c, k, laneOffset(c));
            }
        }
    }

    private void weightsScalarOutput(CodeBlock.Builder code, int inputs) {
        for (int k = 0; k < inputs; k++) {
            code.addStatement("float s$L = dw[$L + $L * $L + o]", k, weight, inputIndex(inputs, k), out);
        }
        code.beginControlFlow("for (int r = 0; r < rows; r++)");
        code.addStatement("float g = dz[r * $L + o]", out);
        for (int k = 0; k < inputs; k++) {
            code.addStatement("s$L += x[xOffset + r * $L + $L] * g", k, in, inputIndex(inputs, k));
        }
        code.endControlFlow();
        for (int k = 0; k < inputs; k++) {
            code.addStatement("dw[$L + $L * $L + o] = s$L", weight, inputIndex(inputs, k), out, k);
        }
    }

    // FloatVector acc = db[o ..]; for (int r = 0; r < rows; r++) acc = acc.add(dz[r, o ..]); db[o ..] = acc;
    private void biasTile(CodeBlock.Builder code) {
        code.addStatement("$T acc = $T.fromArray(SPECIES, dw, $L + o)", FLOAT_VECTOR, FLOAT_VECTOR, bias);
        code.beginControlFlow("for (int r = 0; r < rows; r++)");
        code.addStatement("acc = acc.add($T.fromArray(SPECIES, dz, r * $L + o))", FLOAT_VECTOR, out);
        code.endControlFlow();
        code.addStatement("acc.intoArray(dw, $L + o)", bias);
    }

    private void biasScalarOutput(CodeBlock.Builder code) {
        code.addStatement("float s = dw[$L + o]", bias);
        code.beginControlFlow("for (int r = 0; r < rows; r++)");
        code.addStatement("s += dz[r * $L + o]", out);
        code.endControlFlow();
        code.addStatement("dw[$L + o] = s", bias);
    }

    private CodeBlock scalarWeights() {
        CodeBlock.Builder code = CodeBlock.builder();
        code.beginControlFlow("for (int r = 0; r < rows; r++)");
        code.addStatement("int zr = r * $L", out);
        code.beginControlFlow("for (int i = 0; i < $L; i++)", in);
        code.addStatement("float xi = x[xOffset + r * $L + i]", in);
        code.addStatement("int wi = $L + i * $L", weight, out);
        code.beginControlFlow("for (int o = 0; o < $L; o++)", out);
        code.addStatement("dw[wi + o] += xi * dz[zr + o]");
        code.endControlFlow();
        code.endControlFlow();
        if (bias != null) {
            code.beginControlFlow("for (int o = 0; o < $L; o++)", out);
            code.addStatement("dw[$L + o] += dz[zr + o]", bias);
            code.endControlFlow();
        }
        code.endControlFlow();
        return code.build();
    }

    // ---- input gradient: dx (B, in) = dz (B, out) . W (out, in), a dot product along out per input -----

    Kernel backwardInput() {
        String doc = "$L: dx (B, $L) = dz (B, $L) \u00b7 $L ($L, $L): each dx[r, i] is row r of dz dotted with row i of $L^T.\n";
        String text = CodeBlock.of(doc, layer.name(), in, out, layer.weight().name(), out, in, layer.weight().name()).toString();
        if (!scratch(layer)) {
            return new Kernel(inputName(layer), text, List.of(floats("dx"), floats("dz"), floats("w"), integer("rows")), vectorInput(), scalarInput());
        }
        if (!transposedInput(layer)) {
            return new Kernel(inputName(layer), text, List.of(floats("dx"), floats("dz"), floats("w"), floats("dzT"), floats("panel"), integer("rows")),
                    vectorInput(), scalarInput());
        }
        CodeBlock.Builder vector = CodeBlock.builder();
        vector.addStatement("int blocks = rows / (2 * LANES)");
        vector.beginControlFlow("if (blocks > 0)");
        vector.addStatement("$N(dx, dz, w, dzT, panel, blocks)", transposedName());
        vector.endControlFlow();
        vector.add(vectorInput("blocks * 2 * LANES"));
        return new Kernel(inputName(layer), text + "{@code dzT} and {@code panel} are scratch for the vector kernel.\n",
                List.of(floats("dx"), floats("dz"), floats("w"), floats("dzT"), floats("panel"), integer("rows")),
                vector.build(), scalarInput(), List.of(transposedHelper(), transposedTileHelper(TRANSPOSED_INPUTS), transposedTileHelper(1)));
    }

    private String transposedName() {
        return inputName(layer) + "Transposed";
    }

    private String transposedTileName(int inputs) {
        return inputName(layer) + (inputs == 1 ? "Input" : inputs + "Inputs");
    }

    /*
     * dzT = the first blocks * 2 * LANES rows of dz, transposed block by block: dzT[(b * 128 + o) * 2 * LANES + c] = dz[b * 2 * LANES + c, o]
     * for (int i = 0; i < 5406; i += 6) for (int b = 0; b < blocks; b++) { hiddenBackwardInput6Inputs(dx, w, dzT, panel, i, b); }
     * then the last inputs one by one
     */
    private MethodSpec transposedHelper() {
        CodeBlock.Builder code = CodeBlock.builder();
        code.addStatement("int block = 2 * LANES");
        code.beginControlFlow("for (int b = 0; b < blocks; b++)");
        code.beginControlFlow("for (int c = 0; c < block; c++)");
        code.addStatement("int zr = (b * block + c) * $L", out);
        code.addStatement("int t = b * $L * block + c", out);
        code.beginControlFlow("for (int o = 0; o < $L; o++)", out);
        code.addStatement("dzT[t + o * block] = dz[zr + o]");
        code.endControlFlow();
        code.endControlFlow();
        code.endControlFlow();
        int blocked = in - in % TRANSPOSED_INPUTS;
        code.beginControlFlow("for (int i = 0; i < $L; i += $L)", blocked, TRANSPOSED_INPUTS);
        code.beginControlFlow("for (int b = 0; b < blocks; b++)");
        code.addStatement("$N(dx, w, dzT, panel, i, b)", transposedTileName(TRANSPOSED_INPUTS));
        code.endControlFlow();
        code.endControlFlow();
        if (blocked < in) {
            code.beginControlFlow("for (int i = $L; i < $L; i++)", blocked, in);
            code.beginControlFlow("for (int b = 0; b < blocks; b++)");
            code.addStatement("$N(dx, w, dzT, panel, i, b)", transposedTileName(1));
            code.endControlFlow();
            code.endControlFlow();
        }
        return helper(transposedName(), "The first blocks * 2 * LANES rows of " + inputName(layer) + ": dx^T in tiles of inputs by 2 vectors of rows.",
                code.build(), floats("dx"), floats("dz"), floats("w"), floats("dzT"), floats("panel"), integer("blocks"));
    }

    /*
     * acc_k0, acc_k1 = sum over o of W^T[i + k, o] * dzT[b, o, ..]   (dx[rows of block b, i + k], in order of o)
     * the accumulators go to the end of panel, and from there to dx
     */
    private MethodSpec transposedTileHelper(int inputs) {
        CodeBlock.Builder code = CodeBlock.builder();
        code.addStatement("int block = 2 * LANES");
        for (int k = 0; k < inputs; k++) {
            code.addStatement("int w$L = $L + $L * $L", k, weight, inputIndex(inputs, k), out);
            code.addStatement("$T acc$L0 = $T.zero(SPECIES)", FLOAT_VECTOR, k, FLOAT_VECTOR);
            code.addStatement("$T acc$L1 = $T.zero(SPECIES)", FLOAT_VECTOR, k, FLOAT_VECTOR);
        }
        code.addStatement("int t = b * $L * block", out);
        code.beginControlFlow("for (int o = 0; o < $L; o++)", out);
        code.addStatement("int q = t + o * block");
        code.addStatement("$T g0 = $T.fromArray(SPECIES, dzT, q)", FLOAT_VECTOR, FLOAT_VECTOR);
        code.addStatement("$T g1 = $T.fromArray(SPECIES, dzT, q + LANES)", FLOAT_VECTOR, FLOAT_VECTOR);
        for (int k = 0; k < inputs; k++) {
            code.addStatement("$T v$L = $T.broadcast(SPECIES, w[w$L + o])", FLOAT_VECTOR, k, FLOAT_VECTOR, k);
            code.addStatement("acc$L0 = v$L.fma(g0, acc$L0)", k, k, k);
            code.addStatement("acc$L1 = v$L.fma(g1, acc$L1)", k, k, k);
        }
        code.endControlFlow();
        code.addStatement("int tile = $L", panels(layer) ? in * 2 * Vectors.MAX_LANES : 0);
        for (int k = 0; k < inputs; k++) {
            code.addStatement("acc$L0.intoArray(panel, tile + $L * block)", k, k);
            code.addStatement("acc$L1.intoArray(panel, tile + $L * block + LANES)", k, k);
        }
        code.beginControlFlow("for (int c = 0; c < block; c++)");
        code.addStatement("int d = (b * block + c) * $L + i", in);
        for (int k = 0; k < inputs; k++) {
            code.addStatement("dx[d$L] = panel[tile + $L * block + c]", k == 0 ? "" : " + " + k, k);
        }
        code.endControlFlow();
        return helper(transposedTileName(inputs), (inputs == 1 ? "Input i" : "Inputs i to i + " + (inputs - 1)) + " of " + inputName(layer)
                + " for the rows of block b, summed along the outputs in order.", code.build(),
                floats("dx"), floats("w"), floats("dzT"), floats("panel"), integer("i"), integer("b"));
    }

    /*
     * for (int r = 0; r < rows; r++) { for (int i = 0; i < 784; i += 4) {
     *     acc0..acc3 over the vectors of dz[r, :] and W^T[i + k, :]; dx[r, i + k] = sum(acc_k) + the scalar tail } }
     */
    private CodeBlock vectorInput() {
        return vectorInput("0");
    }

    /** The dot-product form for rows {@code first} to {@code rows - 1}. */
    private CodeBlock vectorInput(String first) {
        CodeBlock.Builder code = CodeBlock.builder();
        int blocked = in - in % INPUT_TILE;
        code.beginControlFlow("for (int r = $L; r < rows; r++)", first);
        code.addStatement("int zr = r * $L", out);
        if (blocked > 0) {
            code.beginControlFlow("for (int i = 0; i < $L; i += $L)", blocked, INPUT_TILE);
            inputTile(code, INPUT_TILE);
            code.endControlFlow();
        }
        if (blocked < in) {
            code.beginControlFlow("for (int i = $L; i < $L; i++)", blocked, in);
            inputTile(code, 1);
            code.endControlFlow();
        }
        code.endControlFlow();
        return code.build();
    }

    private void inputTile(CodeBlock.Builder code, int inputs) {
        for (int k = 0; k < inputs; k++) {
            code.addStatement("int w$L = $L + $L * $L", k, weight, inputIndex(inputs, k), out);
            code.addStatement("$T acc$L = $T.zero(SPECIES)", FLOAT_VECTOR, k, FLOAT_VECTOR);
        }
        code.beginControlFlow("for (int o = 0; o < $L - $L % LANES; o += LANES)", out, out);
        code.addStatement("$T g = $T.fromArray(SPECIES, dz, zr + o)", FLOAT_VECTOR, FLOAT_VECTOR);
        for (int k = 0; k < inputs; k++) {
            code.addStatement("acc$L = g.fma($T.fromArray(SPECIES, w, w$L + o), acc$L)", k, FLOAT_VECTOR, k, k);
        }
        code.endControlFlow();
        for (int k = 0; k < inputs; k++) {
            code.addStatement("float s$L = sum(acc$L)", k, k);
        }
        if (out % Vectors.MAX_LANES != 0) {
            code.beginControlFlow("for (int o = $L - $L % LANES; o < $L; o++)", out, out, out);
            code.addStatement("float g = dz[zr + o]");
            for (int k = 0; k < inputs; k++) {
                code.addStatement("s$L += g * w[w$L + o]", k, k);
            }
            code.endControlFlow();
        }
        for (int k = 0; k < inputs; k++) {
            code.addStatement("dx[r * $L + $L] = s$L", in, inputIndex(inputs, k), k);
        }
    }

    private CodeBlock scalarInput() {
        CodeBlock.Builder code = CodeBlock.builder();
        code.beginControlFlow("for (int r = 0; r < rows; r++)");
        code.beginControlFlow("for (int i = 0; i < $L; i++)", in);
        code.addStatement("int wi = $L + i * $L", weight, out);
        code.addStatement("float s = 0f");
        code.beginControlFlow("for (int o = 0; o < $L; o++)", out);
        code.addStatement("s += dz[r * $L + o] * w[wi + o]", out);
        code.endControlFlow();
        code.addStatement("dx[r * $L + i] = s", in);
        code.endControlFlow();
        code.endControlFlow();
        return code.build();
    }

    /** {@code r} for a one-row tile, else {@code (r + k)}. */
    private static String rowIndex(int rows, int k) {
        return rows == 1 ? "r" : "(r + " + k + ")";
    }

    /** {@code i} for a one-input tile, else {@code (i + k)}. */
    private static String inputIndex(int inputs, int k) {
        return inputs == 1 ? "i" : "(i + " + k + ")";
    }

    /** Nothing for the first row of W^T in a step, else {@code + k * out}. */
    private String rowOffset(int k) {
        return k == 0 ? "" : k == 1 ? " + " + out : " + " + k + " * " + out;
    }

    /** Nothing for the first vector of a tile, else {@code + c * LANES}. */
    private static String laneOffset(int c) {
        return c == 0 ? "" : c == 1 ? " + LANES" : " + " + c + " * LANES";
    }
}
