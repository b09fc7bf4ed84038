package dev.kiln.runtime.optim;

import dev.kiln.runtime.VectorWidth;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/** The Vector API twin of {@link RmsProp#update}; loaded only when the vector kernels are in use. */
final class RmsPropVector {
    private static final VectorSpecies<Float> SPECIES = VectorWidth.SPECIES;

    private RmsPropVector() {
    }

    /** Same contract as {@link RmsProp#update}; the tail past the last whole vector runs scalar. */
    static void update(float[] w, float[] g, float[] squareAverage, float[] gradientAverage, float[] buffer, int from,
            int to, float alpha, float oneMinusAlpha, float eps, float weightDecay, float momentum, float negativeLr) {
        FloatVector a = FloatVector.broadcast(SPECIES, alpha);
        FloatVector keep = FloatVector.broadcast(SPECIES, oneMinusAlpha);
        FloatVector e = FloatVector.broadcast(SPECIES, eps);
        FloatVector decay = FloatVector.broadcast(SPECIES, weightDecay);
        FloatVector mom = FloatVector.broadcast(SPECIES, momentum);
        FloatVector lr = FloatVector.broadcast(SPECIES, negativeLr);
        boolean smallWeight = Math.abs(oneMinusAlpha) < 0.5f;
        FloatVector lerpWeight = FloatVector.broadcast(SPECIES, smallWeight ? oneMinusAlpha : oneMinusAlpha - 1f);
        int bound = from + SPECIES.loopBound(to - from);
        int i = from;
        for (; i < bound; i += SPECIES.length()) {
            FloatVector weights = FloatVector.fromArray(SPECIES, w, i);
            FloatVector grad = FloatVector.fromArray(SPECIES, g, i);
            if (weightDecay != 0) {
                grad = weights.fma(decay, grad);
            }
            FloatVector square = grad.mul(keep).fma(grad, FloatVector.fromArray(SPECIES, squareAverage, i).mul(a));
            square.intoArray(squareAverage, i);
            FloatVector avg;
            if (gradientAverage != null) {
                FloatVector previous = FloatVector.fromArray(SPECIES, gradientAverage, i);
                FloatVector mean = lerpWeight.fma(grad.sub(previous), smallWeight ? previous : grad);
                mean.intoArray(gradientAverage, i);
                avg = mean.neg().fma(mean, square).lanewise(VectorOperators.SQRT);
            } else {
                avg = square.lanewise(VectorOperators.SQRT);
            }
            avg = avg.add(e);
            if (buffer != null) {
                FloatVector b = FloatVector.fromArray(SPECIES, buffer, i).mul(mom).add(grad.div(avg));
                b.intoArray(buffer, i);
                b.fma(lr, weights).intoArray(w, i);
            } else {
                weights.add(lr.mul(grad).div(avg)).intoArray(w, i);
            }
        }
        RmsProp.update(w, g, squareAverage, gradientAverage, buffer, i, to, alpha, oneMinusAlpha, eps, weightDecay, momentum,
                negativeLr);
    }
}
