package dev.kiln.runtime.optim;

import dev.kiln.runtime.Kernels;
import dev.kiln.runtime.Parameters;

/**
 * Stochastic gradient descent with optional momentum, dampening, Nesterov momentum and L2 weight
 * decay, as {@code torch.optim.SGD}:
 *
 * <pre>
 * g = grad + weightDecay * w
 * buf = g                                   (first step)
 * buf = momentum * buf + (1 - dampening) * g (later steps)
 * g = nesterov ? g + momentum * buf : buf   (when momentum != 0)
 * w = w - lr * g
 * </pre>
 *
 * <pre>{@code
 * Optimizer sgd = new Sgd(0.05).momentum(0.9).nesterov(true).weightDecay(5e-4);
 * }</pre>
 */
public final class Sgd implements Optimizer {
    private double learningRate;
    private double momentum;
    private double dampening;
    private boolean nesterov;
    private double weightDecay;
    private float[] momentumBuffer; // (P), allocated at the first step with momentum
    private boolean momentumStarted;
    private boolean firstMomentumStep; // whether the step begun last fills the momentum buffer
    private boolean vectorized = Kernels.vectorized();

    public Sgd(double learningRate) {
        this.learningRate = OptimizerState.nonNegative("learning rate", learningRate);
    }

    /** The momentum factor; 0 (the default) turns momentum off. */
    public Sgd momentum(double momentum) {
        this.momentum = OptimizerState.nonNegative("momentum", momentum);
        return this;
    }

    /** Dampens the gradient's share of the momentum buffer: {@code (1 - dampening) * g}. */
    public Sgd dampening(double dampening) {
        this.dampening = dampening;
        return this;
    }

    /** Nesterov momentum; needs a momentum above 0 and no dampening. */
    public Sgd nesterov(boolean nesterov) {
        this.nesterov = nesterov;
        return this;
    }

    /** L2 penalty: adds {@code weightDecay * w} to the gradient. */
    public Sgd weightDecay(double weightDecay) {
        this.weightDecay = OptimizerState.nonNegative("weight decay", weightDecay);
        return this;
    }

    @Override
    public double learningRate() {
        return learningRate;
    }

    @Override
    public Sgd learningRate(double learningRate) {
        this.learningRate = OptimizerState.nonNegative("learning rate", learningRate);
        return this;
    }

    /** Forces the vector or the scalar kernel, for tests that compare the two. */
    Sgd kernels(Kernels.Kind kind) {
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
        if (nesterov && (momentum <= 0 || dampening != 0)) {
            throw new IllegalStateException("Nesterov momentum needs a momentum > 0 and zero dampening, but momentum is "
                    + momentum + " and dampening " + dampening);
        }
        firstMomentumStep = false;
        if (momentum != 0) {
            momentumBuffer = OptimizerState.buffer(momentumBuffer, parameters.size(), "SGD");
            firstMomentumStep = !momentumStarted;
            momentumStarted = true;
        }
        return true;
    }

    @Override
    public void step(Parameters parameters, int from, int to) {
        float[] w = parameters.values();
        float[] g = parameters.gradients();
        float decay = (float) weightDecay;
        float mom = (float) momentum;
        float keep = (float) (1 - dampening);
        float negativeLr = (float) -learningRate;
        if (vectorized) {
            SgdVector.update(w, g, momentumBuffer, from, to, decay, mom, keep, nesterov, firstMomentumStep, negativeLr);
        } else {
            update(w, g, momentumBuffer, from, to, decay, mom, keep, nesterov, firstMomentumStep, negativeLr);
        }
    }

    /**
     * One SGD step over {@code [from, to)}, scalar. The fused multiply-adds are where PyTorch's CPU
     * {@code add(other, alpha)} fuses too, so both round alike.
     *
     * @param buffer the momentum buffer, or null when {@code momentum} is 0
     * @param keep {@code 1 - dampening}
     * @param first whether the momentum buffer is empty (it then takes the gradient as is)
     */
    static void update(float[] w, float[] g, float[] buffer, int from, int to, float weightDecay, float momentum,
            float keep, boolean nesterov, boolean first, float negativeLr) {
        for (int i = from; i < to; i++) {
            float grad = g[i];
            if (weightDecay != 0) {
                grad = Math.fma(w[i], weightDecay, grad);
            }
            if (momentum != 0) {
                float b = first ? grad : Math.fma(grad, keep, buffer[i] * momentum);
                buffer[i] = b;
                grad = nesterov ? Math.fma(b, momentum, grad) : b;
            }
            w[i] = Math.fma(grad, negativeLr, w[i]);
        }
    }
}
