package dev.kiln.runtime.optim;

import dev.kiln.runtime.Parameters;

/**
 * Updates parameters from their gradients, one step at a time: {@link #step} reads
 * {@link Parameters#gradients()} and writes {@link Parameters#values()}, and leaves the gradients
 * as they were.
 *
 * <p>Each implementation follows the single-tensor update of the PyTorch 2.13 optimizer of the same
 * name, in the same float32 operation order and with fused multiply-adds where PyTorch's CPU kernels
 * fuse, so a Kiln model and a PyTorch one started from the same weights follow the same trajectory:
 * SGD bit for bit, Adam and RMSprop to about 1e-6 relative, because PyTorch's CPU float
 * {@code sqrt} is not correctly rounded and Java's is.
 *
 * <p>An optimizer keeps state (momentum, running averages) for one parameter vector: it is
 * allocated at the first step, sized to that vector, and never again. Each update runs a Vector API
 * kernel or its scalar twin, as {@link dev.kiln.runtime.Kernels#vectorized()} decides.
 */
public interface Optimizer {

    /** Applies one update to {@code parameters.values()} from {@code parameters.gradients()}. */
    void step(Parameters parameters);

    /**
     * Begins a step to be applied range by range with {@link #step(Parameters, int, int)}, as
     * data-parallel training does on several threads: advances the step count and fixes the
     * step's coefficients, once per step. Built-in optimizers update each element on its own, so
     * cutting the vector into ranges gives the same bits as {@link #step(Parameters)}.
     *
     * @return false if this optimizer cannot update in ranges (the default); call
     *     {@link #step(Parameters)} instead
     */
    default boolean beginStep(Parameters parameters) {
        return false;
    }

    /**
     * Applies the step begun by {@link #beginStep} to the parameters in {@code [from, to)}. The
     * ranges of one step must cover every parameter once; disjoint ranges may run on different
     * threads at the same time.
     */
    default void step(Parameters parameters, int from, int to) {
        throw new UnsupportedOperationException(getClass().getSimpleName() + " cannot update in ranges");
    }

    /** The learning rate the next step uses. */
    double learningRate();

    /** Sets the learning rate of the following steps, as a schedule does between epochs. */
    Optimizer learningRate(double learningRate);
}
