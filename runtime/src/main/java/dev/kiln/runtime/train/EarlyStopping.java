package dev.kiln.runtime.train;

/**
 * Stops training when a metric has stopped improving, as Keras' {@code EarlyStopping}: after each
 * epoch the monitored metric is compared with the best so far; an epoch improves on it when it is
 * better by more than {@code minDelta} (higher for accuracies, lower otherwise). Training stops
 * once {@code patience} epochs in a row have not improved (never after the first epoch). With
 * {@code restoreBestWeights}, the weights of the best epoch are put back when training ends.
 *
 * <pre>{@code
 * EarlyStopping.on("val_loss").patience(3).minDelta(1e-4).restoreBestWeights(true)
 * }</pre>
 *
 * @param monitor a metric of {@link EpochMetrics#NAMES}, such as {@code val_loss}
 */
public record EarlyStopping(String monitor, int patience, double minDelta, boolean restoreBestWeights) {

    public EarlyStopping {
        if (!EpochMetrics.NAMES.contains(monitor)) {
            throw new IllegalArgumentException("cannot monitor '" + monitor + "'; the metrics are " + EpochMetrics.NAMES);
        }
        if (patience < 0) {
            throw new IllegalArgumentException("patience must be >= 0 epochs but is " + patience);
        }
        if (!(minDelta >= 0)) {
            throw new IllegalArgumentException("minDelta must be >= 0 but is " + minDelta);
        }
    }

    /** Monitors {@code monitor} with patience 0, minDelta 0, and no restoring. */
    public static EarlyStopping on(String monitor) {
        return new EarlyStopping(monitor, 0, 0, false);
    }

    public EarlyStopping patience(int patience) {
        return new EarlyStopping(monitor, patience, minDelta, restoreBestWeights);
    }

    public EarlyStopping minDelta(double minDelta) {
        return new EarlyStopping(monitor, patience, minDelta, restoreBestWeights);
    }

    public EarlyStopping restoreBestWeights(boolean restore) {
        return new EarlyStopping(monitor, patience, minDelta, restore);
    }

    /** Whether higher is better: for the accuracies (Keras' "auto" mode). */
    public boolean maximizes() {
        return monitor.contains("accuracy");
    }
}
