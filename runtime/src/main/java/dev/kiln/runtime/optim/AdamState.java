package dev.kiln.runtime.optim;

import dev.kiln.runtime.Kernels;
import dev.kiln.runtime.Parameters;

/**
 * The moments and step count that {@link Adam} and {@link AdamW} share, and their update, as
 * PyTorch's {@code _single_tensor_adam}. The bias corrections are computed in double from the
 * step count, as PyTorch does in Python, then rounded to float once.
 */
final class AdamState {
    private float[] firstMoment; // (P) exp_avg
    private float[] secondMoment; // (P) exp_avg_sq
    private long steps;
    boolean vectorized = Kernels.vectorized();

    // The coefficients of the step begun last, in float as the kernels take them.
    private float scale;
    private float l2;
    private float oneMinusBeta1;
    private float beta2;
    private float oneMinusBeta2;
    private float correction2;
    private float eps;
    private float negativeStep;

    /**
     * Begins a step: advances the step count and computes its coefficients.
     *
     * @param decoupled true for AdamW's weight decay ({@code w *= 1 - lr * weightDecay}), false for
     *     Adam's L2 penalty ({@code g += weightDecay * w})
     */
    void begin(Parameters parameters, double learningRate, double beta1, double beta2, double eps, double weightDecay,
            boolean decoupled, String name) {
        int size = parameters.size();
        firstMoment = OptimizerState.buffer(firstMoment, size, name);
        secondMoment = OptimizerState.buffer(secondMoment, size, name);
        steps++;
        double biasCorrection1 = 1 - Math.pow(beta1, steps);
        double biasCorrection2 = 1 - Math.pow(beta2, steps);
        double stepSize = learningRate / biasCorrection1;
        this.scale = decoupled && weightDecay != 0 ? (float) (1 - learningRate * weightDecay) : 1f;
        this.l2 = decoupled ? 0f : (float) weightDecay;
        this.oneMinusBeta1 = (float) (1 - beta1);
        this.beta2 = (float) beta2;
        this.oneMinusBeta2 = (float) (1 - beta2);
        this.correction2 = (float) Math.sqrt(biasCorrection2);
        this.eps = (float) eps;
        this.negativeStep = (float) -stepSize;
    }

    /** Applies the step begun last to {@code [from, to)}. */
    void update(Parameters parameters, int from, int to) {
        float[] w = parameters.values();
        float[] g = parameters.gradients();
        if (vectorized) {
            AdamVector.update(w, g, firstMoment, secondMoment, from, to, scale, l2, oneMinusBeta1, beta2, oneMinusBeta2,
                    correction2, eps, negativeStep);
        } else {
            update(w, g, firstMoment, secondMoment, from, to, scale, l2, oneMinusBeta1, beta2, oneMinusBeta2, correction2, eps,
                    negativeStep);
        }
    }

    /**
     * One Adam step over {@code [from, to)}, scalar, rounding as PyTorch's CPU kernels do.
     *
     * <pre>
     * w = scale * w                       (AdamW's decay; scale is 1 without it)
     * g = grad + l2 * w
     * m = lerp(m, g, 1 - beta1)
     * v = beta2 * v + (1 - beta2) * g * g
     * w = w + (-stepSize * m) / (sqrt(v) / sqrt(biasCorrection2) + eps)
     * </pre>
     */
    static void update(float[] w, float[] g, float[] m, float[] v, int from, int to, float scale, float l2,
            float oneMinusBeta1, float beta2, float oneMinusBeta2, float correction2, float eps, float negativeStep) {
        for (int i = from; i < to; i++) {
            float weight = w[i];
            float grad = g[i];
            if (scale != 1f) {
                weight *= scale;
            }
            if (l2 != 0) {
                grad = Math.fma(weight, l2, grad);
            }
            float mean = OptimizerState.lerp(m[i], grad, oneMinusBeta1);
            m[i] = mean;
            float square = Math.fma(grad * oneMinusBeta2, grad, v[i] * beta2);
            v[i] = square;
            float denominator = (float) Math.sqrt(square) / correction2 + eps;
            w[i] = weight + negativeStep * mean / denominator;
        }
    }
}
