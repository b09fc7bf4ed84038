package dev.kiln.runtime.train;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The per-epoch metrics of one {@link Trainer#fit}, like the {@code History} Keras' {@code fit}
 * returns: {@code history.get("val_loss")} is Keras' {@code history.history["val_loss"]}.
 */
public final class History {
    private final List<EpochMetrics> epochs = new ArrayList<>();
    private int stoppedEpoch;
    private int restoredEpoch;

    History() {
    }

    void add(EpochMetrics metrics) {
        epochs.add(metrics);
    }

    void stoppedAt(int epoch) {
        this.stoppedEpoch = epoch;
    }

    void restored(int epoch) {
        this.restoredEpoch = epoch;
    }

    /** The epochs trained, in order. */
    public List<EpochMetrics> epochs() {
        return Collections.unmodifiableList(epochs);
    }

    /** The last epoch trained. */
    public EpochMetrics last() {
        if (epochs.isEmpty()) {
            throw new IllegalStateException("no epoch has been trained");
        }
        return epochs.getLast();
    }

    /** One metric over the epochs, by its Keras name (see {@link EpochMetrics#NAMES}). */
    public double[] get(String metric) {
        double[] values = new double[epochs.size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = epochs.get(i).get(metric);
        }
        return values;
    }

    /** The epoch after which early stopping ended training (from 1), or 0 if it ran every epoch. */
    public int stoppedEpoch() {
        return stoppedEpoch;
    }

    /** The epoch whose weights early stopping restored at the end (from 1), or 0 if none were. */
    public int restoredEpoch() {
        return restoredEpoch;
    }
}
