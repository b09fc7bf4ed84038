package dev.kiln.runtime.optim;

import dev.kiln.runtime.Kernels;
import dev.kiln.runtime.Parameters;

/**
 * Adam, as {@code torch.optim.Adam}: running averages of the gradient and its square, with bias
 * correction. Weight decay here is an L2 penalty added to the gradient (PyTorch's Adam); for
 * decoupled weight decay use {@link AdamW}.
 *
 * <pre>
 * g = grad + weightDecay * w
 * m = beta1 * m + (1 - beta1) * g
 * v = beta2 * v + (1 - beta2) * g * g
 * w = w - lr / (1 - beta1^t) * m / (sqrt(v) / sqrt(1 - beta2^t) + eps)
 * </pre>
 *
 * <pre>{@code
 * Optimizer adam = new Adam(1e-3);
 * Optimizer tuned = new Adam(1e-3).betas(0.9, 0.98).eps(1e-6).weightDecay(1e-4);
 * }</pre>
 */
public final class Adam implements Optimizer {
    private final AdamState state = new AdamState();
    private double learningRate;
    private double beta1 = 0.9;
    private double beta2 = 0.999;
    private double eps = 1e-8;
    private double weightDecay;

    public Adam(double learningRate) {
        this.learningRate = OptimizerState.nonNegative("learning rate", learningRate);
    }

    /** The decay rates of the first and second moment averages; 0.9 and 0.999 by default. */
    public Adam betas(double beta1, double beta2) {
        this.beta1 = OptimizerState.unitInterval("beta1", beta1);
        this.beta2 = OptimizerState.unitInterval("beta2", beta2);
        return this;
    }

    /** Added to the denominator for numerical stability; 1e-8 by default. */
    public Adam eps(double eps) {
        this.eps = OptimizerState.nonNegative("eps", eps);
        return this;
    }

    /** L2 penalty: adds {@code weightDecay * w} to the gradient before the moments. */
    public Adam weightDecay(double weightDecay) {
        this.weightDecay = OptimizerState.nonNegative("weight decay", weightDecay);
        return this;
    }

    @Override
    public double learningRate() {
        return learningRate;
    }

    @Override
    public Adam learningRate(double learningRate) {
        this.learningRate = OptimizerState.nonNegative("learning rate", learningRate);
        return this;
    }

    /** Forces the vector or the scalar kernel, for tests that compare the two. */
    Adam kernels(Kernels.Kind kind) {
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
        state.begin(parameters, learningRate, beta1, beta2, eps, weightDecay, false, "Adam");
        return true;
    }

    @Override
    public void step(Parameters parameters, int from, int to) {
        state.update(parameters, from, to);
    }
}
