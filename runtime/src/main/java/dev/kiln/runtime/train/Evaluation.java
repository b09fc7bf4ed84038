package dev.kiln.runtime.train;

/**
 * The result of {@link Trainer#evaluate}: the mean loss over the samples and the accuracy (NaN for
 * an MSE model, where accuracy has no meaning).
 */
public record Evaluation(double loss, double accuracy) {

    /** {@code loss 0.0885, accuracy 97.49%}, or only the loss when there is no accuracy. */
    @Override
    public String toString() {
        return Double.isNaN(accuracy) ? String.format(java.util.Locale.ROOT, "loss %.4f", loss)
                : String.format(java.util.Locale.ROOT, "loss %.4f, accuracy %.2f%%", loss, 100 * accuracy);
    }
}
