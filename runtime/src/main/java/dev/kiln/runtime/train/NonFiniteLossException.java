package dev.kiln.runtime.train;

/**
 * Training stopped because a batch's loss, or the validation loss after an epoch, was NaN or
 * infinite. Before this is thrown the model's weights are restored to the last good ones: for a
 * batch, those that gave the last finite loss, as they were before that batch's update (the update
 * that led to the failure), or the weights training started with if the first batch failed; for
 * the validation loss, those at the end of the last epoch whose validation loss was finite.
 */
public final class NonFiniteLossException extends RuntimeException {
    private final int epoch;
    private final int batch;
    private final float loss;
    private final History history;

    NonFiniteLossException(float loss, int epoch, int batch, int batches, String restored, History history) {
        this("The loss is " + loss + " at epoch " + epoch + ", batch " + batch + " of " + batches + ". The weights are restored to "
                + restored + ". Lower the learning rate, clip the gradients (FitOptions.clipNorm), or look for NaN or "
                + "infinite values in the data.", loss, epoch, batch, history);
    }

    /** The validation loss after {@code epoch} was {@code loss}; the weights went back to those after {@code restored} (0: the start). */
    static NonFiniteLossException validation(double loss, int epoch, int restored, History history) {
        return new NonFiniteLossException("The validation loss is " + loss + " after epoch " + epoch + " while the training loss was finite. "
                + "The weights are restored to " + (restored == 0 ? "those training started with" : "those after epoch " + restored)
                + ", the last with a finite validation loss. Lower the learning rate or clip the gradients (FitOptions.clipNorm).",
                (float) loss, epoch, 0, history);
    }

    private NonFiniteLossException(String message, float loss, int epoch, int batch, History history) {
        super(message);
        this.epoch = epoch;
        this.batch = batch;
        this.loss = loss;
        this.history = history;
    }

    /** The epoch of the failing batch, from 1. */
    public int epoch() {
        return epoch;
    }

    /** The failing batch within its epoch, from 1; 0 when the validation loss after the epoch failed. */
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
