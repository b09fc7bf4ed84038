package dev.kiln.runtime;

/**
 * Seeded weight initializers. Kiln uses Glorot (Xavier) uniform for layers followed by a linear,
 * sigmoid, tanh or softmax activation and He (Kaiming) uniform for ReLU-like activations, as Keras
 * and PyTorch recommend; biases start at zero.
 */
public final class Initializers {
    private Initializers() {
    }

    /** Uniform in {@code ±sqrt(6 / (fanIn + fanOut))}. */
    public static void glorotUniform(float[] values, int offset, int fanIn, int fanOut, int count, SeededRandom random) {
        uniform(values, offset, count, (float) Math.sqrt(6.0 / (fanIn + fanOut)), random);
    }

    /** Uniform in {@code ±sqrt(6 / fanIn)}. */
    public static void heUniform(float[] values, int offset, int fanIn, int count, SeededRandom random) {
        uniform(values, offset, count, (float) Math.sqrt(6.0 / fanIn), random);
    }

    /** Uniform in {@code ±limit}. */
    public static void uniform(float[] values, int offset, int count, float limit, SeededRandom random) {
        for (int i = offset; i < offset + count; i++) {
            values[i] = (2 * random.nextFloat() - 1) * limit;
        }
    }
}
