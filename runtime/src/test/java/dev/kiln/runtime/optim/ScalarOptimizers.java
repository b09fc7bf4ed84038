package dev.kiln.runtime.optim;

import dev.kiln.runtime.Kernels;

/**
 * Optimizers forced onto their scalar kernels, for tests in other packages that must not depend on
 * the JIT: Vector API code allocates its vectors until C2 compiles it.
 */
public final class ScalarOptimizers {
    private ScalarOptimizers() {
    }

    public static Optimizer adam(double learningRate) {
        return new Adam(learningRate).kernels(Kernels.Kind.SCALAR);
    }
}
