package dev.kiln.runtime.optim;

import dev.kiln.runtime.VectorWidth;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/** The Vector API twin of {@link AdamState#update}; loaded only when the vector kernels are in use. */
final class AdamVector {
    private static final VectorSpecies<Float> SPECIES = VectorWidth.SPECIES;

    private AdamVector() {
    }

    /** Same contract as {@link AdamState#update}; the tail past the last whole vector runs scalar. */
    static void update(float[] w, float[] g, float[] m, float[] v, int from, int to, float scale, float l2,
            float oneMinusBeta1, float beta2, float oneMinusBeta2, float correction2, float eps, float negativeStep) {
        FloatVector decay = FloatVector.broadcast(SPECIES, scale);
        FloatVector penalty = FloatVector.broadcast(SPECIES, l2);
        boolean smallWeight = Math.abs(oneMinusBeta1) < 0.5f;
        FloatVector lerpWeight = FloatVector.broadcast(SPECIES, smallWeight ? oneMinusBeta1 : oneMinusBeta1 - 1f);
        FloatVector b2 = FloatVector.broadcast(SPECIES, beta2);
        FloatVector keep2 = FloatVector.broadcast(SPECIES, oneMinusBeta2);
        FloatVector c2 = FloatVector.broadcast(SPECIES, correction2);
        FloatVector e = FloatVector.broadcast(SPECIES, eps);
        FloatVector step = FloatVector.broadcast(SPECIES, negativeStep);
        int bound = from + SPECIES.loopBound(to - from);
        int i = from;
        for (; i < bound; i += SPECIES.length()) {
            FloatVector weight = FloatVector.fromArray(SPECIES, w, i);
            FloatVector grad = FloatVector.fromArray(SPECIES, g, i);
            if (scale != 1f) {
                weight = weight.mul(decay);
            }
            if (l2 != 0) {
                grad = weight.fma(penalty, grad);
            }
            FloatVector previous = FloatVector.fromArray(SPECIES, m, i);
            FloatVector mean = lerpWeight.fma(grad.sub(previous), smallWeight ? previous : grad);
            mean.intoArray(m, i);
            FloatVector square = grad.mul(keep2).fma(grad, FloatVector.fromArray(SPECIES, v, i).mul(b2));
            square.intoArray(v, i);
            FloatVector denominator = square.lanewise(VectorOperators.SQRT).div(c2).add(e);
            weight.add(step.mul(mean).div(denominator)).intoArray(w, i);
        }
        AdamState.update(w, g, m, v, i, to, scale, l2, oneMinusBeta1, beta2, oneMinusBeta2, correction2, eps, negativeStep);
    }
}
