package dev.kiln.runtime.train;

/** The state of one {@link EarlyStopping} during one fit: the best value, its epoch and weights. */
final class EarlyStopper {
    private final EarlyStopping rule;
    private final float[] bestWeights; // (P) when restoring, else null
    private boolean hasBest;
    private double best;
    private int bestEpoch;
    private int wait;

    EarlyStopper(EarlyStopping rule, int parameters) {
        this.rule = rule;
        this.bestWeights = rule.restoreBestWeights() ? new float[parameters] : null;
    }

    /**
     * Records an epoch's metrics, and copies the weights when the epoch is the best so far (the
     * first epoch always is, as in Keras).
     *
     * @return whether training should stop
     */
    boolean epochEnded(EpochMetrics metrics, float[] weights) {
        double current = metrics.get(rule.monitor());
        wait++;
        if (!hasBest || improves(current)) {
            hasBest = true;
            best = current;
            bestEpoch = metrics.epoch();
            if (bestWeights != null) {
                System.arraycopy(weights, 0, bestWeights, 0, weights.length);
            }
            wait = 0;
            return false;
        }
        return wait >= rule.patience() && metrics.epoch() > 1;
    }

    private boolean improves(double current) {
        return rule.maximizes() ? current - rule.minDelta() > best : current + rule.minDelta() < best;
    }

    /**
     * Puts the best epoch's weights back, if this rule restores them.
     *
     * @return the epoch restored (from 1), or 0 if none was
     */
    int restore(float[] weights) {
        if (bestWeights == null || !hasBest) {
            return 0;
        }
        System.arraycopy(bestWeights, 0, weights, 0, weights.length);
        return bestEpoch;
    }

    String monitor() {
        return rule.monitor();
    }

    double best() {
        return best;
    }

    /** The epoch of the best value so far, from 1. */
    int bestEpoch() {
        return bestEpoch;
    }
}
