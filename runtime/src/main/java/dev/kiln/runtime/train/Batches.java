package dev.kiln.runtime.train;

import dev.kiln.runtime.SeededRandom;
import dev.kiln.runtime.data.Dataset;

/**
 * The training samples in a seeded order, and the buffers one batch is gathered into. Everything
 * is allocated once per fit; shuffling and gathering allocate nothing.
 */
final class Batches {
    private final Dataset data;
    private final float[] sampleWeights; // (N) or null
    private final int batchSize;
    private final int[] order; // (N) sample indices in this epoch's order
    private final SeededRandom random;
    final float[] inputs; // (batchSize, featureSize)
    final float[] targets; // (batchSize, targetSize)
    final float[] weights; // (batchSize), or null without sample weights

    Batches(Dataset data, float[] sampleWeights, int batchSize, long seed) {
        this.data = data;
        this.sampleWeights = sampleWeights;
        this.batchSize = Math.min(batchSize, data.size());
        this.order = new int[data.size()];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        this.random = new SeededRandom(seed);
        this.inputs = new float[this.batchSize * data.featureSize()];
        this.targets = new float[this.batchSize * data.targetSize()];
        this.weights = sampleWeights == null ? null : new float[this.batchSize];
    }

    /** The number of batches per epoch; the last may be smaller. */
    int count() {
        return (order.length + batchSize - 1) / batchSize;
    }

    /** Reorders the samples at random (Fisher-Yates), continuing the seeded sequence. */
    void shuffle() {
        for (int i = order.length - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
    }

    /** The number of samples in batch {@code b} (from 0). */
    int size(int b) {
        return Math.min(batchSize, order.length - b * batchSize);
    }

    /**
     * Copies batch {@code b} (from 0) into the buffers.
     *
     * @return the number of samples in the batch
     */
    int gather(int b) {
        int n = size(b);
        gather(b, 0, n);
        return n;
    }

    /**
     * Copies samples {@code [from, to)} of batch {@code b} to the same rows of the buffers; threads
     * may gather disjoint rows at the same time.
     */
    void gather(int b, int from, int to) {
        int first = b * batchSize;
        int fs = data.featureSize();
        int ts = data.targetSize();
        for (int k = from; k < to; k++) {
            int i = order[first + k];
            System.arraycopy(data.features(), i * fs, inputs, k * fs, fs);
            System.arraycopy(data.targets(), i * ts, targets, k * ts, ts);
            if (weights != null) {
                weights[k] = sampleWeights[i];
            }
        }
    }
}
