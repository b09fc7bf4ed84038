package dev.kiln.runtime.train;

/**
 * A training step failed: the model, the loss or the optimizer threw, on the calling thread or on
 * a training thread. The cause is what was thrown, with its stack trace. Before this is thrown the
 * weights are put back to those before the failing batch's update, so a half-applied update never
 * remains.
 */
public final class TrainingException extends RuntimeException {
    private final int epoch;
    private final int batch;

    TrainingException(int epoch, int batch, int batches, String thread, Throwable cause) {
        super("Training failed at epoch " + epoch + ", batch " + batch + " of " + batches + " on thread '" + thread + "': " + cause
                + ". The weights are those before this batch's update.", cause);
        this.epoch = epoch;
        this.batch = batch;
    }

    /** The epoch of the failing batch, from 1. */
    public int epoch() {
        return epoch;
    }

    /** The failing batch within its epoch, from 1. */
    public int batch() {
        return batch;
    }
}
