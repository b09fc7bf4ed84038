package dev.kiln.runtime.train;

import dev.kiln.runtime.Model;
import dev.kiln.runtime.Parameters;
import dev.kiln.runtime.optim.GradientNormClipping;
import dev.kiln.runtime.optim.Optimizer;

/**
 * One training step computed data-parallel over {@code k} shards ({@link FitOptions#shards}). The
 * batch's {@code n} rows are cut into {@code k} contiguous shards whose sizes depend only on
 * {@code n} and {@code k}: the first {@code n % k} shards hold {@code n / k + 1} rows, the others
 * {@code n / k}. Each shard runs {@code forward}, {@code loss} and {@code backwardParameters} on its
 * own replica of the model (created once per fit), and the replicas' gradients and losses are
 * combined into the model's, each element summed in shard order:
 *
 * <pre>
 * g[i] = (n_0 / n) * g_0[i] + (n_1 / n) * g_1[i] + ... + (n_{k-1} / n) * g_{k-1}[i]
 * </pre>
 *
 * <p>Each replica's loss is the mean over its {@code n_s} rows, so this is the gradient of the mean
 * over the batch. Shards without rows (a batch smaller than {@code k}) are left out. The sum also
 * clears the replicas' gradients, block by block while they are in the L1 cache, so every shard
 * starts from zero gradients without a {@code zeroGrad} pass of its own over all of them. Then come
 * clipping (on the calling thread) and the optimizer step, split into element ranges when the
 * optimizer allows it ({@link Optimizer#beginStep}), which gives the same bits as one whole step.
 *
 * <p>The threads only decide who gathers and computes which shards and who sums and updates which
 * elements, so the result is the same, bit for bit, for any number of threads.
 */
final class ShardedStep implements AutoCloseable {
    /** Each thread's range of elements starts at a multiple of a 64-byte cache line. */
    private static final int ALIGN = 16;
    /** The sum runs over blocks of 4 KB, which stay in the L1 cache while every shard is added. */
    private static final int BLOCK = 1024;

    /** What the threads do in one run. */
    private enum Phase {
        /** Gather the rows of their shards, run them forward and backward. */
        SHARDS,
        /** Sum their range of the gradients. */
        SUM,
        /** Sum their range, save its weights as the last good ones, apply the optimizer to it. */
        SUM_AND_STEP,
        /** Save their range's weights as the last good ones, apply the optimizer to it. */
        STEP
    }

    private final Batches batches;
    private final BatchAccuracy accuracy;
    private final GradientNormClipping clipping; // null without clipping
    private final Optimizer optimizer;
    private final Parameters parameters; // the model's
    private final float[] lastGood; // (P) the weights before the last update
    private final int inputSize;
    private final int targetSize;
    private final Model[] replicas; // (k) replica s computes shard s
    private final float[][] gradients; // (k, P) the replicas' gradients
    private final float[][] weights; // (k, rows of the largest shard) each shard's sample weights, or null
    private final int[] start; // (k) the first row of each shard in the current batch
    private final int[] rows; // (k) the rows of each shard in the current batch
    private final float[] coefficients; // (k) n_s / n
    private final float[] losses; // (k) each shard's mean loss
    private final int[] correct; // (k) each shard's correct predictions
    private final int threads;
    private final boolean[] saved; // (threads) whether thread t saved its range to lastGood in this update
    private final WorkerThreads workers; // null with one thread
    private Phase phase;
    private int batch; // the batch being trained, from 0

    /**
     * @param threads from 1 to {@code shards}; the calling thread is one of them
     * @param lastGood receives the weights before each update
     */
    ShardedStep(Model model, int shards, int threads, Batches batches, BatchAccuracy accuracy, GradientNormClipping clipping,
            Optimizer optimizer, float[] lastGood) {
        this.batches = batches;
        this.accuracy = accuracy;
        this.clipping = clipping;
        this.optimizer = optimizer;
        this.parameters = model.parameters();
        this.lastGood = lastGood;
        this.inputSize = model.inputSize();
        this.targetSize = model.targetSize();
        this.replicas = new Model[shards];
        this.gradients = new float[shards][];
        for (int s = 0; s < shards; s++) {
            replicas[s] = model.replica();
            replicas[s].zeroGrad();
            gradients[s] = replicas[s].parameters().gradients();
            if (replicas[s].parameters().values() != parameters.values() || gradients[s] == parameters.gradients()) {
                throw new IllegalStateException(model.name() + ".replica() must share the parameter values and have its own "
                        + "gradients (Parameters.sharingValues()), but it does not");
            }
        }
        this.weights = batches.weights == null ? null : new float[shards][(batches.weights.length + shards - 1) / shards];
        this.start = new int[shards];
        this.rows = new int[shards];
        this.coefficients = new float[shards];
        this.losses = new float[shards];
        this.correct = new int[shards];
        this.threads = threads;
        this.saved = new boolean[threads];
        this.workers = threads > 1 ? new WorkerThreads(threads, this::part) : null;
    }

    /**
     * Gathers batch {@code b}, runs every shard forward and backward, and combines their losses.
     *
     * @return the mean loss of the batch: {@code sum of (n_s / n) * loss_s} in shard order
     */
    float forwardBackward(int b) {
        int n = batches.size(b);
        int k = replicas.length;
        for (int s = 0; s < k; s++) {
            rows[s] = n / k + (s < n % k ? 1 : 0);
            start[s] = s * (n / k) + Math.min(s, n % k);
            coefficients[s] = (float) rows[s] / n;
        }
        batch = b;
        run(Phase.SHARDS);
        float loss = coefficients[0] * losses[0];
        for (int s = 1; s < k && rows[s] > 0; s++) {
            loss += coefficients[s] * losses[s];
        }
        return loss;
    }

    /** The correct predictions in the last {@link #forwardBackward} batch. */
    int correct() {
        int total = 0;
        for (int s = 0; s < replicas.length && rows[s] > 0; s++) {
            total += correct[s];
        }
        return total;
    }

    /**
     * Sums the gradients of the last {@link #forwardBackward} batch into the model's, clips them,
     * saves the weights as the last good ones and applies the optimizer.
     */
    void update() {
        java.util.Arrays.fill(saved, false);
        try {
            if (clipping == null) {
                if (optimizer.beginStep(parameters)) {
                    run(Phase.SUM_AND_STEP);
                    return;
                }
                run(Phase.SUM);
            } else {
                run(Phase.SUM);
                clipping.clip(parameters);
                if (optimizer.beginStep(parameters)) {
                    run(Phase.STEP);
                    return;
                }
            }
            System.arraycopy(parameters.values(), 0, lastGood, 0, lastGood.length);
            java.util.Arrays.fill(saved, true);
            optimizer.step(parameters);
        } catch (RuntimeException | Error e) {
            restoreSaved();
            throw e;
        }
    }

    /**
     * After a failed update: puts back the weights of every range that was saved before its step
     * began (the others were never stepped), so no half-applied update remains.
     */
    private void restoreSaved() {
        float[] values = parameters.values();
        for (int t = 0; t < threads; t++) {
            if (saved[t]) {
                System.arraycopy(lastGood, bound(t), values, bound(t), bound(t + 1) - bound(t));
            }
        }
    }

    private void run(Phase phase) {
        this.phase = phase;
        if (workers == null) {
            part(0);
        } else {
            workers.run();
        }
    }

    /** What thread {@code t} does in a run: its shards, or its range of elements. */
    private void part(int t) {
        int from = bound(t);
        int to = bound(t + 1);
        switch (phase) {
            case SHARDS -> shards(t * replicas.length / threads, (t + 1) * replicas.length / threads);
            case SUM -> sumGradients(from, to);
            case SUM_AND_STEP -> {
                sumGradients(from, to);
                step(t, from, to);
            }
            case STEP -> step(t, from, to);
        }
    }

    /**
     * Gathers the rows of shards {@code [first, end)} and runs each forward and backward. Their
     * gradients are zero: cleared when the replicas were made, then by every {@link #sumGradients}.
     */
    private void shards(int first, int end) {
        batches.gather(batch, start[first], start[end - 1] + rows[end - 1]);
        for (int s = first; s < end && rows[s] > 0; s++) {
            Model replica = replicas[s];
            float[] outputs = replica.forward(batches.inputs, start[s] * inputSize, rows[s]);
            correct[s] = accuracy.correct(outputs, batches.targets, start[s] * targetSize, rows[s]);
            float[] sampleWeights = null;
            if (weights != null) {
                sampleWeights = weights[s];
                System.arraycopy(batches.weights, start[s], sampleWeights, 0, rows[s]);
            }
            losses[s] = replica.loss(batches.targets, start[s] * targetSize, sampleWeights);
            replica.backwardParameters();
        }
    }

    /** Where thread {@code t}'s range of elements starts; the last range ends at the last element. */
    private int bound(int t) {
        int size = lastGood.length;
        return t == threads ? size : (int) ((long) size * t / threads) / ALIGN * ALIGN;
    }

    /**
     * {@code g[i] = c_0 * g_0[i] + c_1 * g_1[i] + ...} over {@code [from, to)}, shard after shard,
     * setting each {@code g_s[i]} it has read back to zero.
     */
    private void sumGradients(int from, int to) {
        float[] sum = parameters.gradients();
        for (int block = from; block < to; block += BLOCK) {
            int end = Math.min(block + BLOCK, to);
            float c = coefficients[0];
            float[] g = gradients[0];
            for (int i = block; i < end; i++) {
                sum[i] = c * g[i];
                g[i] = 0f;
            }
            for (int s = 1; s < replicas.length && rows[s] > 0; s++) {
                c = coefficients[s];
                g = gradients[s];
                for (int i = block; i < end; i++) {
                    sum[i] += c * g[i];
                    g[i] = 0f;
                }
            }
        }
    }

    /** Saves the weights of {@code [from, to)} as the last good ones, then applies the begun optimizer step to them. */
    private void step(int t, int from, int to) {
        System.arraycopy(parameters.values(), from, lastGood, from, to - from);
        saved[t] = true;
        optimizer.step(parameters, from, to);
    }

    /** Stops the worker threads. */
    @Override
    public void close() {
        if (workers != null) {
            workers.close();
        }
    }
}
