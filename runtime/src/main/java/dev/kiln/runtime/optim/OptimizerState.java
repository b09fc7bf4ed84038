package dev.kiln.runtime.optim;

/** Checks shared by the optimizers: hyperparameter ranges and the size of their state buffers. */
final class OptimizerState {
    private OptimizerState() {
    }

    /** A state buffer for {@code size} parameters: {@code existing} if it fits, else a new zeroed one. */
    static float[] buffer(float[] existing, int size, String optimizer) {
        if (existing == null) {
            return new float[size];
        }
        if (existing.length != size) {
            throw new IllegalArgumentException(optimizer + " keeps state for " + existing.length + " parameters but was given "
                    + size + "; use one optimizer per model");
        }
        return existing;
    }

    static double nonNegative(String name, double value) {
        if (!(value >= 0)) {
            throw new IllegalArgumentException(name + " must be >= 0 but is " + value);
        }
        return value;
    }

    static double unitInterval(String name, double value) {
        if (!(value >= 0 && value < 1)) {
            throw new IllegalArgumentException(name + " must be in [0, 1) but is " + value);
        }
        return value;
    }

    /**
     * PyTorch's {@code lerp(start, end, weight)} in float32: {@code start + weight * (end - start)}
     * as one fused multiply-add, from the nearer end for weights of 0.5 and above.
     */
    static float lerp(float start, float end, float weight) {
        return Math.abs(weight) < 0.5f
                ? Math.fma(weight, end - start, start)
                : Math.fma(weight - 1f, end - start, end);
    }
}
