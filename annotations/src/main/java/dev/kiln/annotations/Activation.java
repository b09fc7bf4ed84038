package dev.kiln.annotations;

/** The activation a layer applies to its outputs. */
public enum Activation {
    /** The identity: {@code y = z}. */
    LINEAR,
    /** {@code y = max(0, z)}. */
    RELU,
    /** {@code y = z} for {@code z > 0}, else {@code negativeSlope * z}. */
    LEAKY_RELU,
    /** {@code y = 1 / (1 + exp(-z))}. */
    SIGMOID,
    /** {@code y = tanh(z)}. */
    TANH,
    /** {@code y_j = exp(z_j) / sum_k exp(z_k)}; only on the last layer. */
    SOFTMAX
}
