package dev.kiln.runtime.train;

/**
 * Training stopped because a batch's loss was NaN or infinite. Before this is thrown the model's
 * weights are restored to the last good ones: those that gave the last finite loss, as they were
 * before that batch's update (the update that led to the failure), or the weights training started
 * with if the first batch failed.
 */
public final class NonFiniteLossException extends RuntimeException {
    private final int epoch;
    private final int batch;
    private final float loss;
    private final History history;

    NonFiniteLossException(float loss, int epoch, int batch, int batches, String restored, History history) {
        super("The loss is " + loss + " at epoch " + epoch + ", batch " + batch + " of " + batches + ". The weights are restored to "
                + restored + ". Lower the learning rate, clip the gradients (FitOptions.clipNorm), or look for NaN or "
                + "infinite values in the data.");
        this.epoch = epoch;
        this.batch = batch;
        this.loss = loss;
        this.history = history;
    }

    /** The epoch of the failing batch, from 1. */
    public int epoch() {
        return epoch;
    }

    /** The failing batch within its epoch, from 1. */
    public int batch() {
        return batch;
    }

    /** The loss: NaN or an infinity. */
    public float loss() {
        return loss;
    }

    /** The epochs completed before the failure. */
    public History history() {
        return history;
    }
}
