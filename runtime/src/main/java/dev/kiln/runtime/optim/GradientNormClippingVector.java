package dev.kiln.runtime.optim;

import dev.kiln.runtime.VectorWidth;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/** The Vector API twins of {@link GradientNormClipping}'s kernels; loaded only when in use. */
final class GradientNormClippingVector {
    private static final VectorSpecies<Float> SPECIES = VectorWidth.SPECIES;

    private GradientNormClippingVector() {
    }

    /**
     * The sum of {@code g[i]^2} over {@code [from, to)}: four float accumulators of fused
     * multiply-adds, added lane by lane, then their lanes in lane order and the scalar tail, in
     * double. Not {@code reduceLanes(ADD)}: HotSpot's interpreter and C1 sum the lanes in another
     * order than C2, so the norm, and the weights it scales, would depend on when the JIT compiled.
     */
    static double sumOfSquares(float[] g, int from, int to) {
        int lanes = SPECIES.length();
        FloatVector acc0 = FloatVector.zero(SPECIES);
        FloatVector acc1 = FloatVector.zero(SPECIES);
        FloatVector acc2 = FloatVector.zero(SPECIES);
        FloatVector acc3 = FloatVector.zero(SPECIES);
        int i = from;
        int bound4 = from + (to - from) / (4 * lanes) * (4 * lanes);
        for (; i < bound4; i += 4 * lanes) {
            FloatVector x0 = FloatVector.fromArray(SPECIES, g, i);
            FloatVector x1 = FloatVector.fromArray(SPECIES, g, i + lanes);
            FloatVector x2 = FloatVector.fromArray(SPECIES, g, i + 2 * lanes);
            FloatVector x3 = FloatVector.fromArray(SPECIES, g, i + 3 * lanes);
            acc0 = x0.fma(x0, acc0);
            acc1 = x1.fma(x1, acc1);
            acc2 = x2.fma(x2, acc2);
            acc3 = x3.fma(x3, acc3);
        }
        int bound = from + SPECIES.loopBound(to - from);
        for (; i < bound; i += lanes) {
            FloatVector x = FloatVector.fromArray(SPECIES, g, i);
            acc0 = x.fma(x, acc0);
        }
        FloatVector acc = acc0.add(acc1).add(acc2.add(acc3));
        double sum = 0;
        for (int lane = 0; lane < lanes; lane++) {
            sum += acc.lane(lane);
        }
        return sum + GradientNormClipping.sumOfSquares(g, i, to);
    }

    /** Multiplies {@code g[from, to)} by {@code factor}. */
    static void scale(float[] g, int from, int to, float factor) {
        FloatVector f = FloatVector.broadcast(SPECIES, factor);
        int bound = from + SPECIES.loopBound(to - from);
        int i = from;
        for (; i < bound; i += SPECIES.length()) {
            FloatVector.fromArray(SPECIES, g, i).mul(f).intoArray(g, i);
        }
        GradientNormClipping.scale(g, i, to, factor);
    }
}
