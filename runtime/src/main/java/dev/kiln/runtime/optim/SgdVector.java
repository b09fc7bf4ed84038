package dev.kiln.runtime.optim;

import dev.kiln.runtime.VectorWidth;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/** The Vector API twin of {@link Sgd#update}; loaded only when the vector kernels are in use. */
final class SgdVector {
    private static final VectorSpecies<Float> SPECIES = VectorWidth.SPECIES;

    private SgdVector() {
    }

    /** Same contract as {@link Sgd#update}; the tail past the last whole vector runs scalar. */
    static void update(float[] w, float[] g, float[] buffer, int from, int to, float weightDecay, float momentum,
            float keep, boolean nesterov, boolean first, float negativeLr) {
        FloatVector decay = FloatVector.broadcast(SPECIES, weightDecay);
        FloatVector mom = FloatVector.broadcast(SPECIES, momentum);
        FloatVector keepGrad = FloatVector.broadcast(SPECIES, keep);
        FloatVector lr = FloatVector.broadcast(SPECIES, negativeLr);
        int bound = from + SPECIES.loopBound(to - from);
        int i = from;
        for (; i < bound; i += SPECIES.length()) {
            FloatVector weights = FloatVector.fromArray(SPECIES, w, i);
            FloatVector grad = FloatVector.fromArray(SPECIES, g, i);
            if (weightDecay != 0) {
                grad = weights.fma(decay, grad);
            }
            if (momentum != 0) {
                FloatVector b = first ? grad : grad.fma(keepGrad, FloatVector.fromArray(SPECIES, buffer, i).mul(mom));
                b.intoArray(buffer, i);
                grad = nesterov ? b.fma(mom, grad) : b;
            }
            grad.fma(lr, weights).intoArray(w, i);
        }
        Sgd.update(w, g, buffer, i, to, weightDecay, momentum, keep, nesterov, first, negativeLr);
    }
}
