package dev.kiln.runtime.optim;

import dev.kiln.runtime.Kernels;
import dev.kiln.runtime.Parameters;

/**
 * Adam with decoupled weight decay, as {@code torch.optim.AdamW}: the weights shrink by
 * {@code 1 - lr * weightDecay} before the Adam update, instead of the decay entering the gradient.
 *
 * <pre>{@code
 * Optimizer adamw = new AdamW(1e-3);                    // weight decay 0.01
 * Optimizer strong = new AdamW(1e-3).weightDecay(0.1);
 * }</pre>
 */
public final class AdamW implements Optimizer {
    private final AdamState state = new AdamState();
    private double learningRate;
    private double beta1 = 0.9;
    private double beta2 = 0.999;
    private double eps = 1e-8;
    private double weightDecay = 0.01;

    public AdamW(double learningRate) {
        this.learningRate = OptimizerState.nonNegative("learning rate", learningRate);
    }

    /** The decay rates of the first and second moment averages; 0.9 and 0.999 by default. */
    public AdamW betas(double beta1, double beta2) {
        this.beta1 = OptimizerState.unitInterval("beta1", beta1);
        this.beta2 = OptimizerState.unitInterval("beta2", beta2);
        return this;
    }

    /** Added to the denominator for numerical stability; 1e-8 by default. */
    public AdamW eps(double eps) {
        this.eps = OptimizerState.nonNegative("eps", eps);
        return this;
    }

    /** The decoupled decay: each step multiplies the weights by {@code 1 - lr * weightDecay}; 0.01 by default. */
    public AdamW weightDecay(double weightDecay) {
        this.weightDecay = OptimizerState.nonNegative("weight decay", weightDecay);
        return this;
    }

    @Override
    public double learningRate() {
        return learningRate;
    }

    @Override
    public AdamW learningRate(double learningRate) {
        this.learningRate = OptimizerState.nonNegative("learning rate", learningRate);
        return this;
    }

    /** Forces the vector or the scalar kernel, for tests that compare the two. */
    AdamW kernels(Kernels.Kind kind) {
        state.vectorized = kind == Kernels.Kind.VECTOR;
        return this;
    }

    @Override
    public void step(Parameters parameters) {
        beginStep(parameters);
        state.update(parameters, 0, parameters.size());
    }

    @Override
    public boolean beginStep(Parameters parameters) {
        state.begin(parameters, learningRate, beta1, beta2, eps, weightDecay, true, "AdamW");
        return true;
    }

    @Override
    public void step(Parameters parameters, int from, int to) {
        state.update(parameters, from, to);
    }
}
