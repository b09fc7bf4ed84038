package dev.kiln.runtime.optim;

import dev.kiln.runtime.Kernels;
import dev.kiln.runtime.Parameters;

/**
 * RMSprop, as {@code torch.optim.RMSprop}: divides the gradient by a running root mean square.
 *
 * <pre>
 * g = grad + weightDecay * w
 * sq = alpha * sq + (1 - alpha) * g * g
 * avg = sqrt(sq) + eps                           (centered: sqrt(sq - ga * ga) + eps,
 *                                                 ga = lerp(ga, g, 1 - alpha))
 * w = w - lr * g / avg                           (momentum: buf = momentum * buf + g / avg,
 *                                                 w = w - lr * buf)
 * </pre>
 *
 * <pre>{@code
 * Optimizer rms = new RmsProp(0.01).alpha(0.9).momentum(0.9).centered(true);
 * }</pre>
 */
public final class RmsProp implements Optimizer {
    private double learningRate;
    private double alpha = 0.99;
    private double eps = 1e-8;
    private double weightDecay;
    private double momentum;
    private boolean centered;
    private float[] squareAverage; // (P)
    private float[] gradientAverage; // (P), centered only
    private float[] momentumBuffer; // (P), momentum only
    private boolean vectorized = Kernels.vectorized();

    public RmsProp(double learningRate) {
        this.learningRate = OptimizerState.nonNegative("learning rate", learningRate);
    }

    /** The smoothing constant of the running averages; 0.99 by default. */
    public RmsProp alpha(double alpha) {
        this.alpha = OptimizerState.nonNegative("alpha", alpha);
        return this;
    }

    /** Added to the root mean square for numerical stability; 1e-8 by default. */
    public RmsProp eps(double eps) {
        this.eps = OptimizerState.nonNegative("eps", eps);
        return this;
    }

    /** L2 penalty: adds {@code weightDecay * w} to the gradient. */
    public RmsProp weightDecay(double weightDecay) {
        this.weightDecay = OptimizerState.nonNegative("weight decay", weightDecay);
        return this;
    }

    /** The momentum factor; 0 (the default) turns momentum off. */
    public RmsProp momentum(double momentum) {
        this.momentum = OptimizerState.nonNegative("momentum", momentum);
        return this;
    }

    /** Normalizes by the estimated variance of the gradient instead of its mean square. */
    public RmsProp centered(boolean centered) {
        this.centered = centered;
        return this;
    }

    @Override
    public double learningRate() {
        return learningRate;
    }

    @Override
    public RmsProp learningRate(double learningRate) {
        this.learningRate = OptimizerState.nonNegative("learning rate", learningRate);
        return this;
    }

    /** Forces the vector or the scalar kernel, for tests that compare the two. */
    RmsProp kernels(Kernels.Kind kind) {
        this.vectorized = kind == Kernels.Kind.VECTOR;
        return this;
    }

    @Override
    public void step(Parameters parameters) {
        beginStep(parameters);
        step(parameters, 0, parameters.size());
    }

    @Override
    public boolean beginStep(Parameters parameters) {
        int size = parameters.size();
        squareAverage = OptimizerState.buffer(squareAverage, size, "RMSprop");
        if (centered) {
            gradientAverage = OptimizerState.buffer(gradientAverage, size, "RMSprop");
        }
        if (momentum > 0) {
            momentumBuffer = OptimizerState.buffer(momentumBuffer, size, "RMSprop");
        }
        return true;
    }

    @Override
    public void step(Parameters parameters, int from, int to) {
        float[] w = parameters.values();
        float[] g = parameters.gradients();
        float a = (float) alpha;
        float oneMinusAlpha = (float) (1 - alpha);
        float e = (float) eps;
        float decay = (float) weightDecay;
        float mom = (float) momentum;
        float negativeLr = (float) -learningRate;
        float[] average = centered ? gradientAverage : null;
        float[] buffer = momentum > 0 ? momentumBuffer : null;
        if (vectorized) {
            RmsPropVector.update(w, g, squareAverage, average, buffer, from, to, a, oneMinusAlpha, e, decay, mom, negativeLr);
        } else {
            update(w, g, squareAverage, average, buffer, from, to, a, oneMinusAlpha, e, decay, mom, negativeLr);
        }
    }

    /**
     * One RMSprop step over {@code [from, to)}, scalar, rounding as PyTorch's CPU kernels do
     * ({@code addcmul} and {@code add(other, alpha)} fuse their multiply-add, {@code addcdiv}
     * does not).
     *
     * @param gradientAverage the running mean of the gradient when centered, else null
     * @param buffer the momentum buffer when momentum is on, else null
     */
    static void update(float[] w, float[] g, float[] squareAverage, float[] gradientAverage, float[] buffer, int from,
            int to, float alpha, float oneMinusAlpha, float eps, float weightDecay, float momentum, float negativeLr) {
        for (int i = from; i < to; i++) {
            float grad = g[i];
            if (weightDecay != 0) {
                grad = Math.fma(w[i], weightDecay, grad);
            }
            float square = Math.fma(grad * oneMinusAlpha, grad, squareAverage[i] * alpha);
            squareAverage[i] = square;
            float avg;
            if (gradientAverage != null) {
                float mean = OptimizerState.lerp(gradientAverage[i], grad, oneMinusAlpha);
                gradientAverage[i] = mean;
                avg = (float) Math.sqrt(Math.fma(-mean, mean, square));
            } else {
                avg = (float) Math.sqrt(square);
            }
            avg += eps;
            if (buffer != null) {
                float b = buffer[i] * momentum + grad / avg;
                buffer[i] = b;
                w[i] = Math.fma(b, negativeLr, w[i]);
            } else {
                w[i] = w[i] + negativeLr * grad / avg;
            }
        }
    }
}
