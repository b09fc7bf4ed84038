package dev.kiln.processor.write;

import static dev.kiln.processor.write.Kernel.floats;
import static dev.kiln.processor.write.Kernel.integer;
import static dev.kiln.processor.write.Vectors.FLOAT_VECTOR;
import static dev.kiln.processor.write.Vectors.MAX_LANES;
import static dev.kiln.processor.write.Vectors.VECTOR_OPERATORS;

import com.palantir.javapoet.CodeBlock;
import dev.kiln.annotations.Activation;
import dev.kiln.processor.model.Conv2DLayer;
import dev.kiln.processor.model.Window;
import java.util.Arrays;
import java.util.List;

/**
 * The three kernels of a Conv2D layer over a channels-last input that is already padded
 * {@code (B, HP, WP, C)}: forward, the parameter gradients, and the input gradient.
 *
 * <p>The vector kernels compute each as a matrix product over the implicit im2col matrix: output
 * pixel {@code p} and tap {@code t = (kh, kw, c)} meet at input element
 * {@code p's corner + kh * WP * C + kw * C + c}, so the taps of one kernel row are {@code KW * C}
 * consecutive floats. They first rearrange the weight into {@code packed}, filters innermost
 * {@code (KH, KW, C, F)} for forward (or {@code (KH, F, KW * C)} for the input gradient), and work in
 * register tiles: {@value #PIXELS} output pixels by two vectors of filters, each loaded weight
 * vector feeding several FMAs. The scalar twins are the textbook loops over the weight in
 * PyTorch's layout {@code (F, C, KH, KW)}.
 */
final class ConvKernels {
    /** Output pixels along a row per register tile (forward and input gradient). */
    static final int PIXELS = 4;
    /** Taps per register tile of the weight gradient. */
    static final int TAPS = 6;

    private final Conv2DLayer layer;
    private final String weight;
    private final String bias;
    private final int kh;
    private final int kw;
    private final int c;
    private final int f;
    private final int oh;
    private final int ow;
    /** Floats in one padded input image, one padded input row, and one step of the window along a row and down. */
    private final int inImage;
    private final int inRow;
    private final int stepW;
    private final int stepH;
    /** Floats in one output image and one output row. */
    private final int outImage;
    private final int outRow;
    /** Taps per filter (KH * KW * C) and taps per kernel row (KW * C). */
    private final int taps;
    private final int rowTaps;

    ConvKernels(Conv2DLayer layer) {
        Window window = layer.window();
        this.layer = layer;
        this.weight = layer.weight().constant();
        this.bias = layer.bias().map(b -> b.constant()).orElse(null);
        this.kh = window.height();
        this.kw = window.width();
        this.c = layer.channels();
        this.f = layer.filters();
        this.oh = window.outHeight();
        this.ow = window.outWidth();
        this.inRow = window.paddedWidth() * c;
        this.inImage = window.paddedHeight() * inRow;
        this.stepW = window.strideWidth() * c;
        this.stepH = window.strideHeight() * inRow;
        this.outRow = ow * f;
        this.outImage = oh * outRow;
        this.taps = kh * kw * c;
        this.rowTaps = kw * c;
    }

    static String forwardName(Conv2DLayer layer) {
        return layer.name() + "Forward";
    }

    static String weightsName(Conv2DLayer layer) {
        return layer.name() + "BackwardWeights";
    }

    static String inputName(Conv2DLayer layer) {
        return layer.name() + "BackwardInput";
    }

    /** The floats of the {@code packed} scratch the vector kernels rearrange the weight into. */
    int packedSize() {
        return taps * f;
    }

    List<Kernel> kernels() {
        return List.of(forward(), backwardWeights(), backwardInput());
    }

    private String padded() {
        Window window = layer.window();
        return "(B, " + window.paddedHeight() + ", " + window.paddedWidth() + ", " + c + ")";
    }

    private String output() {
        return "(B, " + oh + ", " + ow + ", " + f + ")";
    }

    private String weightShape() {
        return layer.weight().name() + " (" + f + ", " + c + ", " + kh + ", " + kw + ")";
    }

    // ---- forward -----------------------------------------------------------------------

    // y (B, OH, OW, F) = x (B, HP, WP, C) (*) W + b
    Kernel forward() {
        String doc = "$L: y $L = $Lx $L \u229b $L$L$L, stride $Lx$L, for {@code rows} images of x from {@code xOffset}.\n"
                + "{@code packed} is scratch for the vector kernel.\n";
        boolean fused = fusesActivation(layer);
        String activation = layer.activation().name().toLowerCase(java.util.Locale.ROOT);
        return new Kernel(forwardName(layer),
                CodeBlock.of(doc, layer.name(), output(), fused ? activation + "(" : "", padded(), weightShape(),
                        bias == null ? "" : " + " + layer.bias().get().name(), fused ? ")" : "",
                        layer.window().strideHeight(), layer.window().strideWidth()).toString(),
                List.of(floats("y"), floats("x"), integer("xOffset"), floats("w"), floats("packed"), integer("rows")),
                vectorForward(), scalarForward());
    }

    /*
     * pack W into (KH, KW, C, F);
     * for (int r ...) for (int oh ...) { for (ow in tiles of 4) { for (f in blocks of 2 vectors) { 4x2 tile } } }
     */
    private CodeBlock vectorForward() {
        CodeBlock.Builder code = CodeBlock.builder();
        packFilterLast(code);
        declareBlockBound(code, "fBound", f);
        code.beginControlFlow("for (int r = 0; r < rows; r++)");
        code.beginControlFlow("for (int oh = 0; oh < $L; oh++)", oh);
        code.addStatement("int xRow = xOffset + r * $L + oh * $L", inImage, stepH);
        code.addStatement("int yRow = (r * $L + oh) * $L", oh, outRow);
        pixelTiles(code, n -> forwardTile(code, n));
        if (hasBlockTail(f)) {
            forwardFilterTail(code);
        }
        code.endControlFlow();
        code.endControlFlow();
        return code.build();
    }

    /** packed[((kh * KW + kw) * C + c) * F + f] = w[WEIGHT + ((f * C + c) * KH + kh) * KW + kw] */
    private void packFilterLast(CodeBlock.Builder code) {
        code.add("// packed $L: filters innermost\n", "(" + kh + ", " + kw + ", " + c + ", " + f + ")");
        code.beginControlFlow("for (int o = 0; o < $L; o++)", f);
        code.beginControlFlow("for (int i = 0; i < $L; i++)", c);
        code.beginControlFlow("for (int k = 0; k < $L; k++)", kh * kw);
        code.addStatement("packed[(k * $L + i) * $L + o] = w[$L + (o * $L + i) * $L + k]", c, f, weight, c, kh * kw);
        code.endControlFlow();
        code.endControlFlow();
        code.endControlFlow();
    }

    /**
     * for (int ow = 0; ow < 24; ow += 4) { tile(4) } then { int ow = 24; tile(2) } for the remaining
     * pixels, with {@code ow} at the first pixel of each tile.
     */
    private void pixelTiles(CodeBlock.Builder code, java.util.function.IntConsumer tile) {
        int main = ow - ow % PIXELS;
        if (main > 0) {
            code.beginControlFlow("for (int ow = 0; ow < $L; ow += $L)", main, PIXELS);
            tile.accept(PIXELS);
            code.endControlFlow();
        }
        if (ow % PIXELS != 0) {
            code.add("{\n$>");
            code.addStatement("int ow = $L", main);
            tile.accept(ow % PIXELS);
            code.add("$<}\n");
        }
    }

    /*
     * int x0 = xRow + ow * SW * C; int y0 = yRow + ow * F;
     * for (int f = 0; f < fBound; f += 2 * LANES) {
     *     acc00 = bias; ...
     *     for (kh) for (j < KW * C) { w0, w1 = packed[..]; v0 = x[x0 + ..]; acc00 = v0.fma(w0, acc00); ... }
     *     acc00.intoArray(y, y0 + f); ...
     * }
     */
    private void forwardTile(CodeBlock.Builder code, int pixels) {
        code.addStatement("int x0 = xRow + ow * $L", stepW);
        for (int p = 1; p < pixels; p++) {
            code.addStatement("int x$L = x0 + $L", p, p * stepW);
        }
        code.addStatement("int y0 = yRow + ow * $L", f);
        code.beginControlFlow("for (int f = 0; f < $L; f += 2 * LANES)", blockBound("fBound", f));
        for (int v = 0; v < 2; v++) {
            String at = v == 0 ? "f" : "f + LANES";
            if (bias == null) {
                code.addStatement("$T b$L = $T.zero(SPECIES)", FLOAT_VECTOR, v, FLOAT_VECTOR);
            } else {
                code.addStatement("$T b$L = $T.fromArray(SPECIES, w, $L + $L)", FLOAT_VECTOR, v, FLOAT_VECTOR, bias, at);
            }
        }
        for (int p = 0; p < pixels; p++) {
            code.addStatement("$T acc$L0 = b0", FLOAT_VECTOR, p);
            code.addStatement("$T acc$L1 = b1", FLOAT_VECTOR, p);
        }
        code.beginControlFlow("for (int kh = 0; kh < $L; kh++)", kh);
        code.addStatement("int xk = kh * $L", inRow);
        code.addStatement("int wk = kh * $L + f", rowTaps * f);
        code.beginControlFlow("for (int j = 0; j < $L; j++)", rowTaps);
        code.addStatement("$T w0 = $T.fromArray(SPECIES, packed, wk + j * $L)", FLOAT_VECTOR, FLOAT_VECTOR, f);
        code.addStatement("$T w1 = $T.fromArray(SPECIES, packed, wk + j * $L + LANES)", FLOAT_VECTOR, FLOAT_VECTOR, f);
        for (int p = 0; p < pixels; p++) {
            code.addStatement("$T v$L = $T.broadcast(SPECIES, x[x$L + xk + j])", FLOAT_VECTOR, p, FLOAT_VECTOR, p);
            code.addStatement("acc$L0 = v$L.fma(w0, acc$L0)", p, p, p);
            code.addStatement("acc$L1 = v$L.fma(w1, acc$L1)", p, p, p);
        }
        code.endControlFlow();
        code.endControlFlow();
        for (int p = 0; p < pixels; p++) {
            String y = p == 0 ? "y0" : "y0 + " + p * f;
            code.addStatement("$L.intoArray(y, $L + f)", activated("acc" + p + "0"), y);
            code.addStatement("$L.intoArray(y, $L + f + LANES)", activated("acc" + p + "1"), y);
        }
        code.endControlFlow();
    }

    /*
     * for (int ow = 0; ow < OW; ow++) {
     *     for (f = fBound; f < SPECIES.loopBound(F); f += LANES) { one vector }  for (; f < F; f++) { scalar }
     * }
     */
    private void forwardFilterTail(CodeBlock.Builder code) {
        code.beginControlFlow("for (int ow = 0; ow < $L; ow++)", ow);
        code.addStatement("int xp = xRow + ow * $L", stepW);
        code.addStatement("int yp = yRow + ow * $L", f);
        code.addStatement("int f = fBound");
        code.beginControlFlow("for (; f < SPECIES.loopBound($L); f += LANES)", f);
        code.addStatement(bias == null ? CodeBlock.of("$T acc = $T.zero(SPECIES)", FLOAT_VECTOR, FLOAT_VECTOR)
                : CodeBlock.of("$T acc = $T.fromArray(SPECIES, w, $L + f)", FLOAT_VECTOR, FLOAT_VECTOR, bias));
        code.beginControlFlow("for (int kh = 0; kh < $L; kh++)", kh);
        code.beginControlFlow("for (int j = 0; j < $L; j++)", rowTaps);
        code.addStatement("acc = $T.broadcast(SPECIES, x[xp + kh * $L + j]).fma($T.fromArray(SPECIES, packed, (kh * $L + j) * $L + f), acc)",
                FLOAT_VECTOR, inRow, FLOAT_VECTOR, rowTaps, f);
        code.endControlFlow();
        code.endControlFlow();
        code.addStatement("$L.intoArray(y, yp + f)", activated("acc"));
        code.endControlFlow();
        if (Vectors.hasTail(f)) {
            code.beginControlFlow("for (; f < $L; f++)", f);
            code.addStatement(bias == null ? CodeBlock.of("float s = 0f") : CodeBlock.of("float s = w[$L + f]", bias));
            code.beginControlFlow("for (int kh = 0; kh < $L; kh++)", kh);
            code.beginControlFlow("for (int j = 0; j < $L; j++)", rowTaps);
            code.addStatement("s += x[xp + kh * $L + j] * packed[(kh * $L + j) * $L + f]", inRow, rowTaps, f);
            code.endControlFlow();
            code.endControlFlow();
            code.addStatement("y[yp + f] = $L", activatedScalar("s"));
            code.endControlFlow();
        }
        code.endControlFlow();
    }

    /*
     * for (r, oh, ow, f) { s = b[f]; for (c, kh, kw) s += x[r, oh * SH + kh, ow * SW + kw, c] * W[f, c, kh, kw]; y[r, oh, ow, f] = s; }
     */
    private CodeBlock scalarForward() {
        CodeBlock.Builder code = CodeBlock.builder();
        code.beginControlFlow("for (int r = 0; r < rows; r++)");
        code.beginControlFlow("for (int oh = 0; oh < $L; oh++)", oh);
        code.beginControlFlow("for (int ow = 0; ow < $L; ow++)", ow);
        code.addStatement("int corner = xOffset + r * $L + oh * $L + ow * $L", inImage, stepH, stepW);
        code.beginControlFlow("for (int o = 0; o < $L; o++)", f);
        code.addStatement(bias == null ? CodeBlock.of("float s = 0f") : CodeBlock.of("float s = w[$L + o]", bias));
        scalarTapLoops(code, "s += x[corner + $L] * w[$L + $L]");
        code.addStatement("y[((r * $L + oh) * $L + ow) * $L + o] = $L", oh, ow, f, activatedScalar("s"));
        code.endControlFlow();
        code.endControlFlow();
        code.endControlFlow();
        code.endControlFlow();
        return code.build();
    }

    /**
     * for (int i = 0; i < C; i++) for (int a = 0; a < KH; a++) for (int b = 0; b < KW; b++) {statement}
     * with the statement's three $L as the input offset from the corner, the weight constant and
     * the weight index within filter o.
     */
    private void scalarTapLoops(CodeBlock.Builder code, String statement) {
        code.beginControlFlow("for (int i = 0; i < $L; i++)", c);
        code.beginControlFlow("for (int a = 0; a < $L; a++)", kh);
        code.beginControlFlow("for (int b = 0; b < $L; b++)", kw);
        code.addStatement(statement, CodeBlock.of("a * $L + b * $L + i", inRow, c), weight, CodeBlock.of("((o * $L + i) * $L + a) * $L + b", c, kh, kw));
        code.endControlFlow();
        code.endControlFlow();
        code.endControlFlow();
    }

    // ---- parameter gradients -----------------------------------------------------------

    // dW (F, C, KH, KW) += sum over pixels of dz (F) x patch; db (F) += sum over pixels of dz
    Kernel backwardWeights() {
        String doc = "$L: d $L += dz $L \u229b x $L summed over the batch$L, for {@code rows} images of x from {@code xOffset}.\n"
                + "{@code packed} is scratch for the vector kernel.\n";
        return new Kernel(weightsName(layer),
                CodeBlock.of(doc, layer.name(), weightShape(), output(), padded(),
                        bias == null ? "" : "; d " + layer.bias().get().name() + " += the sums of dz per filter").toString(),
                List.of(floats("dw"), floats("dz"), floats("x"), integer("xOffset"), floats("packed"), integer("rows")),
                vectorWeights(), scalarWeights());
    }

    /*
     * packed (KH, KW, C, F) = 0;
     * for (r) { for (taps in tiles of 6) for (f in blocks of 2 vectors) { 6x2 tile over the image's pixels } ; bias sums }
     * dw[f, c, kh, kw] += packed[kh, kw, c, f];
     */
    private CodeBlock vectorWeights() {
        CodeBlock.Builder code = CodeBlock.builder();
        code.addStatement("$T.fill(packed, 0, $L, 0f)", Arrays.class, taps * f);
        declareBlockBound(code, "fBound", f);
        code.beginControlFlow("for (int r = 0; r < rows; r++)");
        code.addStatement("int xImage = xOffset + r * $L", inImage);
        code.addStatement("int dImage = r * $L", outImage);
        int main = taps - taps % TAPS;
        if (main > 0) {
            code.beginControlFlow("for (int t = 0; t < $L; t += $L)", main, TAPS);
            weightsTile(code, "t", TAPS);
            code.endControlFlow();
        }
        if (taps % TAPS != 0) {
            code.add("{\n$>");
            code.addStatement("int t = $L", main);
            weightsTile(code, "t", taps % TAPS);
            code.add("$<}\n");
        }
        if (hasBlockTail(f)) {
            weightsFilterTail(code);
        }
        if (bias != null) {
            vectorBias(code);
        }
        code.endControlFlow();
        code.add("// dw $L += packed $L\n", "(" + f + ", " + c + ", " + kh + ", " + kw + ")", "(" + kh + ", " + kw + ", " + c + ", " + f + ")");
        code.beginControlFlow("for (int o = 0; o < $L; o++)", f);
        code.beginControlFlow("for (int i = 0; i < $L; i++)", c);
        code.beginControlFlow("for (int k = 0; k < $L; k++)", kh * kw);
        code.addStatement("dw[$L + (o * $L + i) * $L + k] += packed[(k * $L + i) * $L + o]", weight, c, kh * kw, c, f);
        code.endControlFlow();
        code.endControlFlow();
        code.endControlFlow();
        return code.build();
    }

    /** The offset of tap {@code t} from a window's corner: {@code t / (KW * C) * WP * C + t % (KW * C)}. */
    private CodeBlock tapOffset(String t) {
        return CodeBlock.of("($L) / $L * $L + ($L) % $L", t, rowTaps, inRow, t, rowTaps);
    }

    /*
     * int o0 = offset of tap t, ...;
     * for (int f = 0; f < fBound; f += 2 * LANES) {
     *     acc00 = packed[t, f..]; ...
     *     for (oh, ow) { g0, g1 = dz[pixel, f..]; v0 = x[corner + o0]; acc00 = v0.fma(g0, acc00); ... }
     *     acc00.intoArray(packed, ..); ...
     * }
     */
    private void weightsTile(CodeBlock.Builder code, String t, int tile) {
        for (int k = 0; k < tile; k++) {
            code.addStatement("int o$L = $L", k, tapOffset(k == 0 ? t : t + " + " + k));
        }
        code.beginControlFlow("for (int f = 0; f < $L; f += 2 * LANES)", blockBound("fBound", f));
        for (int k = 0; k < tile; k++) {
            String row = k == 0 ? "(" + t + ") * " + f : "(" + t + " + " + k + ") * " + f;
            code.addStatement("int p$L = $L + f", k, row);
            code.addStatement("$T acc$L0 = $T.fromArray(SPECIES, packed, p$L)", FLOAT_VECTOR, k, FLOAT_VECTOR, k);
            code.addStatement("$T acc$L1 = $T.fromArray(SPECIES, packed, p$L + LANES)", FLOAT_VECTOR, k, FLOAT_VECTOR, k);
        }
        code.beginControlFlow("for (int oh = 0; oh < $L; oh++)", oh);
        code.addStatement("int xr = xImage + oh * $L", stepH);
        code.addStatement("int dr = dImage + oh * $L + f", outRow);
        code.beginControlFlow("for (int ow = 0; ow < $L; ow++)", ow);
        code.addStatement("int xp = xr + ow * $L", stepW);
        code.addStatement("int dp = dr + ow * $L", f);
        code.addStatement("$T g0 = $T.fromArray(SPECIES, dz, dp)", FLOAT_VECTOR, FLOAT_VECTOR);
        code.addStatement("$T g1 = $T.fromArray(SPECIES, dz, dp + LANES)", FLOAT_VECTOR, FLOAT_VECTOR);
        for (int k = 0; k < tile; k++) {
            code.addStatement("$T v$L = $T.broadcast(SPECIES, x[xp + o$L])", FLOAT_VECTOR, k, FLOAT_VECTOR, k);
            code.addStatement("acc$L0 = v$L.fma(g0, acc$L0)", k, k, k);
            code.addStatement("acc$L1 = v$L.fma(g1, acc$L1)", k, k, k);
        }
        code.endControlFlow();
        code.endControlFlow();
        for (int k = 0; k < tile; k++) {
            code.addStatement("acc$L0.intoArray(packed, p$L)", k, k);
            code.addStatement("acc$L1.intoArray(packed, p$L + LANES)", k, k);
        }
        code.endControlFlow();
    }

    /* for (t < taps) { for (f = fBound; f < SPECIES.loopBound(F); f += LANES) { one vector } for (; f < F; f++) { scalar } } */
    private void weightsFilterTail(CodeBlock.Builder code) {
        code.beginControlFlow("for (int t = 0; t < $L; t++)", taps);
        code.addStatement("int o = $L", tapOffset("t"));
        code.addStatement("int f = fBound");
        code.beginControlFlow("for (; f < SPECIES.loopBound($L); f += LANES)", f);
        code.addStatement("$T acc = $T.fromArray(SPECIES, packed, t * $L + f)", FLOAT_VECTOR, FLOAT_VECTOR, f);
        pixelLoops(code);
        code.addStatement("acc = $T.broadcast(SPECIES, x[xp + o]).fma($T.fromArray(SPECIES, dz, dp + f), acc)", FLOAT_VECTOR, FLOAT_VECTOR);
        code.endControlFlow();
        code.endControlFlow();
        code.addStatement("acc.intoArray(packed, t * $L + f)", f);
        code.endControlFlow();
        if (Vectors.hasTail(f)) {
            code.beginControlFlow("for (; f < $L; f++)", f);
            code.addStatement("float s = 0f");
            pixelLoops(code);
            code.addStatement("s += x[xp + o] * dz[dp + f]");
            code.endControlFlow();
            code.endControlFlow();
            code.addStatement("packed[t * $L + f] += s", f);
            code.endControlFlow();
        }
        code.endControlFlow();
    }

    /** for (int oh ...) { for (int ow ...) { int xp = corner of the window; int dp = the pixel's first filter; (open) */
    private void pixelLoops(CodeBlock.Builder code) {
        code.beginControlFlow("for (int oh = 0; oh < $L; oh++)", oh);
        code.beginControlFlow("for (int ow = 0; ow < $L; ow++)", ow);
        code.addStatement("int xp = xImage + oh * $L + ow * $L", stepH, stepW);
        code.addStatement("int dp = dImage + (oh * $L + ow) * $L", ow, f);
    }

    /* for (f in vectors) { s = db[f..]; for (pixels of image r) s += dz[pixel, f..]; db[f..] = s } then a scalar tail */
    private void vectorBias(CodeBlock.Builder code) {
        code.addStatement("int f = 0");
        code.beginControlFlow("for (; f < SPECIES.loopBound($L); f += LANES)", f);
        code.addStatement("$T s = $T.fromArray(SPECIES, dw, $L + f)", FLOAT_VECTOR, FLOAT_VECTOR, bias);
        code.beginControlFlow("for (int p = 0; p < $L; p++)", oh * ow);
        code.addStatement("s = s.add($T.fromArray(SPECIES, dz, dImage + p * $L + f))", FLOAT_VECTOR, f);
        code.endControlFlow();
        code.addStatement("s.intoArray(dw, $L + f)", bias);
        code.endControlFlow();
        if (Vectors.hasTail(f)) {
            code.beginControlFlow("for (; f < $L; f++)", f);
            code.addStatement("float s = 0f");
            code.beginControlFlow("for (int p = 0; p < $L; p++)", oh * ow);
            code.addStatement("s += dz[dImage + p * $L + f]", f);
            code.endControlFlow();
            code.addStatement("dw[$L + f] += s", bias);
            code.endControlFlow();
        }
    }

    /*
     * for (o, i, a, b) { s = 0; for (r, oh, ow) s += dz[r, oh, ow, o] * x[r, oh * SH + a, ow * SW + b, i]; dW[o, i, a, b] += s; }
     * for (o) { db[o] += sum of dz[.., o] }
     */
    private CodeBlock scalarWeights() {
        CodeBlock.Builder code = CodeBlock.builder();
        code.beginControlFlow("for (int o = 0; o < $L; o++)", f);
        code.beginControlFlow("for (int i = 0; i < $L; i++)", c);
        code.beginControlFlow("for (int a = 0; a < $L; a++)", kh);
        code.beginControlFlow("for (int b = 0; b < $L; b++)", kw);
        code.addStatement("float s = 0f");
        code.beginControlFlow("for (int r = 0; r < rows; r++)");
        code.beginControlFlow("for (int oh = 0; oh < $L; oh++)", oh);
        code.beginControlFlow("for (int ow = 0; ow < $L; ow++)", ow);
        code.addStatement("s += dz[((r * $L + oh) * $L + ow) * $L + o] * x[xOffset + r * $L + oh * $L + ow * $L + a * $L + b * $L + i]",
                oh, ow, f, inImage, stepH, stepW, inRow, c);
        code.endControlFlow();
        code.endControlFlow();
        code.endControlFlow();
        code.addStatement("dw[$L + ((o * $L + i) * $L + a) * $L + b] += s", weight, c, kh, kw);
        code.endControlFlow();
        code.endControlFlow();
        code.endControlFlow();
        code.endControlFlow();
        if (bias != null) {
            code.beginControlFlow("for (int o = 0; o < $L; o++)", f);
            code.addStatement("float s = 0f");
            code.beginControlFlow("for (int p = 0; p < rows * $L; p++)", oh * ow);
            code.addStatement("s += dz[p * $L + o]", f);
            code.endControlFlow();
            code.addStatement("dw[$L + o] += s", bias);
            code.endControlFlow();
        }
        return code.build();
    }

    // ---- input gradient ----------------------------------------------------------------

    // dx (B, HP, WP, C) = the sum, over output pixels and taps, of dz (F) . W scattered back to the patch
    Kernel backwardInput() {
        String doc = "$L: dx $L = dz $L \u229b$L^T, each output pixel's gradient spread back over its window.\n"
                + "{@code packed} is scratch for the vector kernel.\n";
        return new Kernel(inputName(layer),
                CodeBlock.of(doc, layer.name(), padded(), output(), " " + weightShape()).toString(),
                List.of(floats("dx"), floats("dz"), floats("w"), floats("packed"), integer("rows")),
                vectorInput(), scalarInput());
    }

    /*
     * pack W into (KH, F, KW * C); dx = 0;
     * for (r, oh) { for (ow in tiles of 4) for (kh) for (j in blocks of 2 vectors) { acc = sum over f of dz[pixel, f] * packed[kh, f, j..]; dx[corner + kh * WP * C + j..] += acc } }
     */
    private CodeBlock vectorInput() {
        CodeBlock.Builder code = CodeBlock.builder();
        code.add("// packed $L: the taps of a kernel row innermost\n", "(" + kh + ", " + f + ", " + rowTaps + ")");
        code.beginControlFlow("for (int o = 0; o < $L; o++)", f);
        code.beginControlFlow("for (int i = 0; i < $L; i++)", c);
        code.beginControlFlow("for (int a = 0; a < $L; a++)", kh);
        code.beginControlFlow("for (int b = 0; b < $L; b++)", kw);
        code.addStatement("packed[(a * $L + o) * $L + b * $L + i] = w[$L + ((o * $L + i) * $L + a) * $L + b]", f, rowTaps, c, weight, c, kh, kw);
        code.endControlFlow();
        code.endControlFlow();
        code.endControlFlow();
        code.endControlFlow();
        code.addStatement("$T.fill(dx, 0, rows * $L, 0f)", Arrays.class, inImage);
        declareBlockBound(code, "jBound", rowTaps);
        code.beginControlFlow("for (int r = 0; r < rows; r++)");
        code.beginControlFlow("for (int oh = 0; oh < $L; oh++)", oh);
        code.addStatement("int xRow = r * $L + oh * $L", inImage, stepH);
        code.addStatement("int dRow = (r * $L + oh) * $L", oh, outRow);
        pixelTiles(code, n -> inputTile(code, n));
        if (hasBlockTail(rowTaps)) {
            inputTapTail(code);
        }
        code.endControlFlow();
        code.endControlFlow();
        return code.build();
    }

    private void inputTile(CodeBlock.Builder code, int pixels) {
        code.addStatement("int x0 = xRow + ow * $L", stepW);
        code.addStatement("int d0 = dRow + ow * $L", f);
        code.beginControlFlow("for (int kh = 0; kh < $L; kh++)", kh);
        code.addStatement("int xk = x0 + kh * $L", inRow);
        code.addStatement("int wk = kh * $L", f * rowTaps);
        code.beginControlFlow("for (int j = 0; j < $L; j += 2 * LANES)", blockBound("jBound", rowTaps));
        for (int p = 0; p < pixels; p++) {
            code.addStatement("$T acc$L0 = $T.zero(SPECIES)", FLOAT_VECTOR, p, FLOAT_VECTOR);
            code.addStatement("$T acc$L1 = $T.zero(SPECIES)", FLOAT_VECTOR, p, FLOAT_VECTOR);
        }
        code.beginControlFlow("for (int f = 0; f < $L; f++)", f);
        code.addStatement("$T w0 = $T.fromArray(SPECIES, packed, wk + f * $L + j)", FLOAT_VECTOR, FLOAT_VECTOR, rowTaps);
        code.addStatement("$T w1 = $T.fromArray(SPECIES, packed, wk + f * $L + j + LANES)", FLOAT_VECTOR, FLOAT_VECTOR, rowTaps);
        for (int p = 0; p < pixels; p++) {
            code.addStatement("$T v$L = $T.broadcast(SPECIES, dz[d0 + $L + f])", FLOAT_VECTOR, p, FLOAT_VECTOR, p * f);
            code.addStatement("acc$L0 = v$L.fma(w0, acc$L0)", p, p, p);
            code.addStatement("acc$L1 = v$L.fma(w1, acc$L1)", p, p, p);
        }
        code.endControlFlow();
        for (int p = 0; p < pixels; p++) {
            String at = p == 0 ? "xk + j" : "xk + " + p * stepW + " + j";
            code.addStatement("$T.fromArray(SPECIES, dx, $L).add(acc$L0).intoArray(dx, $L)", FLOAT_VECTOR, at, p, at);
            code.addStatement("$T.fromArray(SPECIES, dx, $L + LANES).add(acc$L1).intoArray(dx, $L + LANES)", FLOAT_VECTOR, at, p, at);
        }
        code.endControlFlow();
        code.endControlFlow();
    }

    /* for (ow) for (kh) { for (j = jBound; j < SPECIES.loopBound(KW * C); j += LANES) { one vector } for (; j < KW * C; j++) { scalar } } */
    private void inputTapTail(CodeBlock.Builder code) {
        code.beginControlFlow("for (int ow = 0; ow < $L; ow++)", ow);
        code.addStatement("int xp = xRow + ow * $L", stepW);
        code.addStatement("int dp = dRow + ow * $L", f);
        code.beginControlFlow("for (int kh = 0; kh < $L; kh++)", kh);
        code.addStatement("int xk = xp + kh * $L", inRow);
        code.addStatement("int wk = kh * $L", f * rowTaps);
        code.addStatement("int j = jBound");
        code.beginControlFlow("for (; j < SPECIES.loopBound($L); j += LANES)", rowTaps);
        code.addStatement("$T acc = $T.zero(SPECIES)", FLOAT_VECTOR, FLOAT_VECTOR);
        code.beginControlFlow("for (int f = 0; f < $L; f++)", f);
        code.addStatement("acc = $T.broadcast(SPECIES, dz[dp + f]).fma($T.fromArray(SPECIES, packed, wk + f * $L + j), acc)", FLOAT_VECTOR, FLOAT_VECTOR, rowTaps);
        code.endControlFlow();
        code.addStatement("$T.fromArray(SPECIES, dx, xk + j).add(acc).intoArray(dx, xk + j)", FLOAT_VECTOR);
        code.endControlFlow();
        if (Vectors.hasTail(rowTaps)) {
            code.beginControlFlow("for (; j < $L; j++)", rowTaps);
            code.addStatement("float s = 0f");
            code.beginControlFlow("for (int f = 0; f < $L; f++)", f);
            code.addStatement("s += dz[dp + f] * packed[wk + f * $L + j]", rowTaps);
            code.endControlFlow();
            code.addStatement("dx[xk + j] += s");
            code.endControlFlow();
        }
        code.endControlFlow();
        code.endControlFlow();
    }

    /*
     * dx = 0; for (r, oh, ow, o) { g = dz[r, oh, ow, o]; for (i, a, b) dx[r, oh * SH + a, ow * SW + b, i] += g * W[o, i, a, b]; }
     */
    private CodeBlock scalarInput() {
        CodeBlock.Builder code = CodeBlock.builder();
        code.addStatement("$T.fill(dx, 0, rows * $L, 0f)", Arrays.class, inImage);
        code.beginControlFlow("for (int r = 0; r < rows; r++)");
        code.beginControlFlow("for (int oh = 0; oh < $L; oh++)", oh);
        code.beginControlFlow("for (int ow = 0; ow < $L; ow++)", ow);
        code.addStatement("int corner = r * $L + oh * $L + ow * $L", inImage, stepH, stepW);
        code.beginControlFlow("for (int o = 0; o < $L; o++)", f);
        code.addStatement("float g = dz[((r * $L + oh) * $L + ow) * $L + o]", oh, ow, f);
        scalarTapLoops(code, "dx[corner + $L] += g * w[$L + $L]");
        code.endControlFlow();
        code.endControlFlow();
        code.endControlFlow();
        code.endControlFlow();
        return code.build();
    }

    // ---- shared ------------------------------------------------------------------------

    /** Whether forward applies the layer's activation as it stores (ReLU and leaky ReLU; others take a pass of their own). */
    static boolean fusesActivation(Conv2DLayer layer) {
        return layer.activation() == Activation.RELU || layer.activation() == Activation.LEAKY_RELU;
    }

    /** {@code acc.max(0f)}, the vector {@code acc} after the fused activation. */
    private CodeBlock activated(String acc) {
        return switch (layer.activation()) {
            case RELU -> CodeBlock.of("$L.max(0f)", acc);
            case LEAKY_RELU -> CodeBlock.of("$L.blend($L.mul($Lf), $L.compare($T.LT, 0f))", acc, acc, layer.negativeSlope(), acc, VECTOR_OPERATORS);
            default -> CodeBlock.of("$L", acc);
        };
    }

    /** {@code Math.max(s, 0f)}, the scalar {@code s} after the fused activation. */
    private CodeBlock activatedScalar(String s) {
        return switch (layer.activation()) {
            case RELU -> CodeBlock.of("Math.max($L, 0f)", s);
            case LEAKY_RELU -> CodeBlock.of("$L < 0f ? $Lf * $L : $L", s, layer.negativeSlope(), s, s);
            default -> CodeBlock.of("$L", s);
        };
    }

    /** Whether a loop over {@code n} floats in blocks of two vectors can leave a tail. */
    private static boolean hasBlockTail(int n) {
        return n % (2 * MAX_LANES) != 0;
    }

    /** int fBound = F - F % (2 * LANES); where blocks of two vectors may leave a tail. */
    private static void declareBlockBound(CodeBlock.Builder code, String name, int n) {
        if (hasBlockTail(n)) {
            code.addStatement("int $L = $L - $L % (2 * LANES)", name, n, n);
        }
    }

    private static String blockBound(String name, int n) {
        return hasBlockTail(n) ? name : String.valueOf(n);
    }
}
