package dev.kiln.runtime.train;

/**
 * The result of {@link Trainer#evaluate}: the mean loss over the samples and the accuracy (NaN for
 * an MSE model, where accuracy has no meaning).
 */
public record Evaluation(double loss, double accuracy) {
}
