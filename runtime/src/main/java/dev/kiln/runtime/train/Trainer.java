package dev.kiln.runtime.train;

import dev.kiln.runtime.Model;
import dev.kiln.runtime.Parameters;
import dev.kiln.runtime.UseGuard;
import dev.kiln.runtime.data.Dataset;
import dev.kiln.runtime.optim.GradientNormClipping;
import dev.kiln.runtime.optim.Optimizer;
import java.util.Locale;

/**
 * Trains, evaluates and runs a {@link Model}, in Keras' terms: a model with its optimizer (Keras'
 * {@code compile}), then {@link #fit}, {@link #evaluate} and {@link #predict}.
 *
 * <pre>{@code
 * Trainer trainer = new Trainer(model, new Adam(1e-3));
 * History history = trainer.fit(train, new FitOptions().epochs(5).batchSize(128).validationSplit(0.1));
 * Evaluation test = trainer.evaluate(testSet);     // loss, accuracy
 * float[] outputs = trainer.predict(testSet);      // (N, outputSize)
 * }</pre>
 *
 * <p>Each step is {@code zeroGrad}, {@code forward}, {@code loss}, {@code backwardParameters},
 * optional gradient clipping, and the optimizer step. With {@link FitOptions#shards} above 1 the
 * first four run on replicas of the model, one per slice of the batch, on up to
 * {@link FitOptions#threads} threads, and their gradients are summed in a fixed order; clipping
 * runs on the calling thread, and the optimizer step on every thread, each updating a range of
 * the parameters, when the optimizer allows it ({@link Optimizer#beginStep}). After the
 * buffers allocated when training starts, a step allocates nothing in Kiln's code, on any thread
 * (in-place terminal progress formats a line at most ten times a second).
 *
 * <p>Accuracy follows the loss (see {@link #binaryThreshold} for one-output binary models):
 * the argmax of the outputs for softmax cross-entropy, the threshold for binary cross-entropy,
 * none for MSE.
 */
public final class Trainer {
    private final Model model;
    private final Optimizer optimizer;
    private float binaryThreshold = 0.5f;

    public Trainer(Model model, Optimizer optimizer) {
        this.model = model;
        this.optimizer = optimizer;
    }

    /**
     * The output value above which a binary cross-entropy model predicts class 1; 0.5 by default.
     * A Kiln binary network ends either in a sigmoid layer, whose outputs are probabilities (keep
     * 0.5), or in a linear layer, whose outputs are logits (use 0); {@link Model} does not say which.
     */
    public Trainer binaryThreshold(float threshold) {
        this.binaryThreshold = threshold;
        return this;
    }

    public Model model() {
        return model;
    }

    public Optimizer optimizer() {
        return optimizer;
    }

    /**
     * Trains the model on {@code data}.
     *
     * @throws NonFiniteLossException if a batch's loss is NaN or infinite; the weights are then the
     *     last good ones
     */
    public History fit(Dataset data, FitOptions options) {
        try (UseGuard.Claim claim = model.claim()) {
            return fitClaimed(data, options);
        }
    }

    private History fitClaimed(Dataset data, FitOptions options) {
        check(data, "training");
        Dataset train = data;
        Dataset validation = options.validationData;
        if (options.validationSplit > 0) {
            if (validation != null) {
                throw new IllegalArgumentException("give either validation data or a validation split, not both");
            }
            int split = (int) Math.floor(data.size() * (1 - options.validationSplit));
            if (split == 0 || split == data.size()) {
                throw new IllegalArgumentException("a validation split of " + options.validationSplit + " of " + data.size()
                        + " samples leaves " + (split == 0 ? "no training" : "no validation") + " samples");
            }
            train = data.slice(0, split);
            validation = data.slice(split, data.size());
        }
        if (validation != null) {
            check(validation, "validation");
        }
        EarlyStopper stopper = null;
        if (options.earlyStopping != null) {
            if (validation == null && options.earlyStopping.monitor().startsWith("val_")) {
                throw new IllegalArgumentException("early stopping monitors " + options.earlyStopping.monitor()
                        + ", which needs validation data or a validation split");
            }
            if (options.earlyStopping.monitor().endsWith("accuracy") && model.loss() == dev.kiln.annotations.Loss.MSE) {
                throw new IllegalArgumentException("early stopping monitors " + options.earlyStopping.monitor() + ", but " + model.name()
                        + " is trained with MSE, which has no accuracy; monitor val_loss or loss");
            }
            stopper = new EarlyStopper(options.earlyStopping, model.parameters().size());
        }
        int shards = options.shards == 0 ? options.threads : options.shards;
        if (options.threads > shards) {
            throw new IllegalArgumentException(options.threads + " threads need at least as many shards, but there are " + shards
                    + "; each thread computes whole shards");
        }
        float[] sampleWeights = options.classWeights == null ? null : ClassWeights.perSample(model, train, options.classWeights);
        Batches batches = new Batches(train, sampleWeights, options.batchSize, options.seed);
        BatchAccuracy accuracy = new BatchAccuracy(model, binaryThreshold);
        GradientNormClipping clipping = options.clipNorm > 0 ? new GradientNormClipping(options.clipNorm) : null;
        float[] lastGood = model.parameters().values().clone();
        try (ShardedStep sharded = shards > 1
                ? new ShardedStep(model, shards, options.threads, batches, accuracy, clipping, optimizer, lastGood) : null) {
            Run run = new Run(batches, sharded, clipping, accuracy, new Progress(options.progress, options.inPlace, options.epochs),
                    lastGood, new History());
            return epochs(run, options, validation, stopper);
        }
    }

    /** The epochs of one fit, with validation, early stopping and progress after each. */
    private History epochs(Run run, FitOptions options, Dataset validation, EarlyStopper stopper) {
        float[] weights = model.parameters().values();
        double initialRate = optimizer.learningRate();
        double rate = initialRate;
        float[] lastValidated = validation == null ? null : weights.clone(); // (P) the weights after the last epoch with a finite val_loss
        int lastValidatedEpoch = 0;
        for (int epoch = 1; epoch <= options.epochs; epoch++) {
            if (options.schedule != null) {
                rate = options.schedule.learningRate(epoch - 1, rate, initialRate);
                optimizer.learningRate(rate);
            }
            if (options.shuffle) {
                run.batches.shuffle();
            }
            long start = System.nanoTime();
            int samples = trainEpoch(epoch, run);
            double seconds = (System.nanoTime() - start) / 1e9;
            Evaluation val = validation == null ? null : evaluate(validation, options.batchSize);
            EpochMetrics metrics = new EpochMetrics(epoch, run.lossSum / samples,
                    run.accuracy.defined() ? (double) run.correct / ((long) samples * run.accuracy.predictionsPerSample()) : Double.NaN,
                    val == null ? Double.NaN : val.loss(), val == null ? Double.NaN : val.accuracy(), samples / seconds, rate);
            run.history.add(metrics);
            if (val != null) {
                if (!Double.isFinite(val.loss())) {
                    System.arraycopy(lastValidated, 0, weights, 0, weights.length);
                    throw NonFiniteLossException.validation(val.loss(), epoch, lastValidatedEpoch, run.history);
                }
                System.arraycopy(weights, 0, lastValidated, 0, weights.length);
                lastValidatedEpoch = epoch;
            }
            boolean stop = stopper != null && stopper.epochEnded(metrics, weights);
            String note = null;
            if (stop) {
                run.history.stoppedAt(epoch);
                note = "early stopping: " + stopper.monitor() + " has not improved since epoch " + stopper.bestEpoch();
            }
            if (stopper != null && (stop || epoch == options.epochs)) {
                int restored = stopper.restore(weights);
                if (restored > 0) {
                    run.history.restored(restored);
                    String restoring = String.format(Locale.ROOT, "restored the weights of epoch %d (%s %.4f)", restored,
                            stopper.monitor(), stopper.best());
                    note = note == null ? restoring : note + "; " + restoring;
                }
            }
            run.progress.epochEnded(metrics, seconds, note);
            if (stop) {
                break;
            }
        }
        return run.history;
    }

    /** What one fit keeps across its epochs; the sums are those of the current epoch. */
    private static final class Run {
        final Batches batches;
        final ShardedStep sharded; // null with one shard
        final GradientNormClipping clipping; // null without clipping
        final BatchAccuracy accuracy;
        final Progress progress;
        final float[] lastGood; // (P) the weights before the last update, whose batch had a finite loss
        final History history;
        double lossSum;
        long correct;

        Run(Batches batches, ShardedStep sharded, GradientNormClipping clipping, BatchAccuracy accuracy, Progress progress,
                float[] lastGood, History history) {
            this.batches = batches;
            this.sharded = sharded;
            this.clipping = clipping;
            this.accuracy = accuracy;
            this.progress = progress;
            this.lastGood = lastGood;
            this.history = history;
        }
    }

    /**
     * One pass over the batches: zeroGrad, forward, loss, backward (on the model, or on its replicas
     * with their gradients summed into the model's), clipping, optimizer step.
     *
     * @return the number of samples trained on
     */
    private int trainEpoch(int epoch, Run run) {
        int count = run.batches.count();
        run.progress.epochStarted(epoch, count);
        run.lossSum = 0;
        run.correct = 0;
        int samples = 0;
        for (int b = 0; b < count; b++) {
            try {
                samples += step(epoch, b, run);
            } catch (WorkerThreads.PartFailure e) {
                throw new TrainingException(epoch, b + 1, count, e.thread(), e.getCause());
            } catch (NonFiniteLossException e) {
                throw e;
            } catch (RuntimeException e) {
                throw new TrainingException(epoch, b + 1, count, Thread.currentThread().getName(), e);
            }
            run.progress.batchDone(b + 1, run.lossSum / samples, samples);
        }
        return samples;
    }

    /**
     * Batch {@code b}: zeroGrad, forward, loss, backward, clipping, update. An update that fails
     * leaves the weights as they were before it.
     *
     * @return the batch's samples
     */
    private int step(int epoch, int b, Run run) {
        Parameters parameters = model.parameters();
        float[] weights = parameters.values();
        int count = run.batches.count();
        int n;
        float loss;
        if (run.sharded == null) {
            n = run.batches.gather(b);
            model.zeroGrad();
            float[] outputs = model.forward(run.batches.inputs, 0, n);
            run.correct += run.accuracy.correct(outputs, run.batches.targets, 0, n);
            loss = model.loss(run.batches.targets, 0, run.batches.weights);
        } else {
            n = run.batches.size(b);
            loss = run.sharded.forwardBackward(b);
            run.correct += run.sharded.correct();
        }
        if (!Float.isFinite(loss)) {
            System.arraycopy(run.lastGood, 0, weights, 0, weights.length);
            throw new NonFiniteLossException(loss, epoch, b + 1, count, describeLastGood(epoch, b + 1, count), run.history);
        }
        run.lossSum += (double) loss * n;
        if (run.sharded == null) {
            model.backwardParameters();
            if (run.clipping != null) {
                run.clipping.clip(parameters);
            }
            System.arraycopy(weights, 0, run.lastGood, 0, weights.length);
            try {
                optimizer.step(parameters);
            } catch (RuntimeException | Error e) {
                System.arraycopy(run.lastGood, 0, weights, 0, weights.length);
                throw e;
            }
        } else {
            run.sharded.update();
        }
        return n;
    }

    /** Which weights a failure at {@code batch} of {@code epoch} (both from 1) restores. */
    private static String describeLastGood(int epoch, int batch, int batches) {
        if (epoch == 1 && batch == 1) {
            return "those training started with";
        }
        return batch > 1
                ? "those before the update of batch " + (batch - 1) + " of epoch " + epoch + ", the last batch with a finite loss"
                : "those before the update of batch " + batches + " of epoch " + (epoch - 1) + ", the last batch with a finite loss";
    }

    /** The mean loss and the accuracy on {@code data}, in batches of 32. */
    public Evaluation evaluate(Dataset data) {
        return evaluate(data, 32);
    }

    /**
     * The mean loss and the accuracy on {@code data}, in batches of {@code batchSize}. Runs
     * {@link Model#forward} and {@link Model#loss}, so it replaces the activations kept for backward.
     */
    public Evaluation evaluate(Dataset data, int batchSize) {
        try (UseGuard.Claim claim = model.claim()) {
            return evaluateClaimed(data, batchSize);
        }
    }

    private Evaluation evaluateClaimed(Dataset data, int batchSize) {
        check(data, "evaluation");
        checkBatchSize(batchSize);
        BatchAccuracy accuracy = new BatchAccuracy(model, binaryThreshold);
        int fs = data.featureSize();
        int ts = data.targetSize();
        double lossSum = 0;
        long correct = 0;
        for (int start = 0; start < data.size(); start += batchSize) {
            int n = Math.min(batchSize, data.size() - start);
            float[] outputs = model.forward(data.features(), start * fs, n);
            correct += accuracy.correct(outputs, data.targets(), start * ts, n);
            lossSum += (double) model.loss(data.targets(), start * ts) * n;
        }
        double accuracyValue = accuracy.defined()
                ? (double) correct / ((long) data.size() * accuracy.predictionsPerSample()) : Double.NaN;
        return new Evaluation(lossSum / data.size(), accuracyValue);
    }

    /** The model's outputs for every sample of {@code data}, in batches of 32. */
    public float[] predict(Dataset data) {
        return predict(data, 32);
    }

    /**
     * The model's outputs for every sample of {@code data}, {@code (N, outputSize)}, computed in
     * inference mode in batches of {@code batchSize}.
     */
    public float[] predict(Dataset data, int batchSize) {
        try (UseGuard.Claim claim = model.claim()) {
            return predictClaimed(data, batchSize);
        }
    }

    private float[] predictClaimed(Dataset data, int batchSize) {
        checkFeatures(data, "prediction");
        checkBatchSize(batchSize);
        int fs = data.featureSize();
        int os = model.outputSize();
        int b = Math.min(batchSize, data.size());
        float[] in = new float[b * fs];
        float[] out = new float[b * os];
        float[] outputs = new float[data.size() * os];
        for (int start = 0; start < data.size(); start += b) {
            int n = Math.min(b, data.size() - start);
            System.arraycopy(data.features(), start * fs, in, 0, n * fs);
            model.predict(in, n, out);
            System.arraycopy(out, 0, outputs, start * os, n * os);
        }
        return outputs;
    }

    private void check(Dataset data, String role) {
        checkFeatures(data, role);
        if (data.targetSize() != model.targetSize()) {
            throw new IllegalArgumentException("the " + role + " data has targets of " + data.targetSize() + " floats but "
                    + model.name() + " trained with " + model.loss() + " needs " + model.targetSize());
        }
        if (data.size() == 0) {
            throw new IllegalArgumentException("the " + role + " data is empty");
        }
        DataChecks.targets(model, data, role);
    }

    private void checkFeatures(Dataset data, String role) {
        if (data.featureSize() != model.inputSize()) {
            throw new IllegalArgumentException("the " + role + " data has samples of " + data.featureSize() + " floats but "
                    + model.name() + " takes " + model.inputSize());
        }
        DataChecks.features(data, role);
    }

    private static void checkBatchSize(int batchSize) {
        if (batchSize <= 0) {
            throw new IllegalArgumentException("the batch size must be > 0 but is " + batchSize);
        }
    }
}
