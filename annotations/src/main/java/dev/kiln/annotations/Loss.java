package dev.kiln.annotations;

/**
 * The loss a network is trained with, averaged over the batch. The cross-entropy losses take the
 * last layer's logits and fuse the sigmoid or softmax into the loss, which keeps them numerically
 * stable (PyTorch's {@code BCEWithLogitsLoss} and {@code CrossEntropyLoss}). The last layer may
 * then be linear (the network outputs logits) or carry the matching activation (the network
 * outputs probabilities; the loss still uses the logits).
 */
public enum Loss {
    /** Mean squared error over every output of every sample (PyTorch's {@code MSELoss}). */
    MSE,
    /**
     * Binary cross-entropy with the sigmoid fused, one independent target in [0, 1] per output,
     * averaged over every output of every sample (PyTorch's {@code BCEWithLogitsLoss}).
     */
    BINARY_CROSS_ENTROPY,
    /**
     * Categorical cross-entropy with the softmax fused; the target is a probability row (one-hot)
     * per sample (PyTorch's {@code CrossEntropyLoss} with probabilities).
     */
    SOFTMAX_CROSS_ENTROPY,
    /**
     * Categorical cross-entropy with the softmax fused; the target is the class index per sample
     * (PyTorch's {@code CrossEntropyLoss} with class indices).
     */
    SPARSE_SOFTMAX_CROSS_ENTROPY
}
