package dev.kiln.runtime.train;

import dev.kiln.runtime.data.Dataset;
import dev.kiln.runtime.optim.LearningRateSchedule;
import java.io.PrintStream;
import java.util.Map;
import java.util.TreeMap;

/**
 * How {@link Trainer#fit} trains, with Keras' {@code fit} arguments as defaults: 1 epoch, batches
 * of 32, shuffled every epoch, no validation, progress on standard output.
 *
 * <pre>{@code
 * new FitOptions()
 *         .epochs(20).batchSize(64)
 *         .validationSplit(0.1)                       // or .validationData(val)
 *         .seed(42)                                   // the shuffle; same seed, same weights
 *         .classWeights(Map.of(0, 1.0, 1, 5.0))
 *         .clipNorm(1.0)
 *         .schedule(new CosineAnnealing(20, 1e-5))
 *         .earlyStopping(EarlyStopping.on("val_loss").patience(3).restoreBestWeights(true))
 *         .threads(2)                                 // data-parallel on two cores
 * }</pre>
 *
 * <p>Data-parallel training: {@link #shards} fixes the arithmetic, {@link #threads} only the speed.
 * With {@code shards(k)} each batch is cut into {@code k} slices whose gradients are computed apart
 * and summed in a fixed order; the weights then depend on {@code k} (slightly: floats are summed in
 * another order than with one shard) but never on the number of threads, so {@code threads(1)
 * .shards(2)} and {@code threads(2).shards(2)} give bit-identical weights.
 */
public final class FitOptions {
    int epochs = 1;
    int batchSize = 32;
    Dataset validationData;
    double validationSplit;
    boolean shuffle = true;
    long seed;
    Map<Integer, Double> classWeights;
    double clipNorm;
    LearningRateSchedule schedule;
    EarlyStopping earlyStopping;
    PrintStream progress = System.out;
    Boolean inPlace; // null: in place when the console is a terminal
    int threads = 1;
    int shards; // 0: as many as threads

    /** The number of passes over the training data. */
    public FitOptions epochs(int epochs) {
        if (epochs <= 0) {
            throw new IllegalArgumentException("epochs must be > 0 but is " + epochs);
        }
        this.epochs = epochs;
        return this;
    }

    /** Samples per gradient step; the last batch of an epoch holds the remainder. */
    public FitOptions batchSize(int batchSize) {
        if (batchSize <= 0) {
            throw new IllegalArgumentException("the batch size must be > 0 but is " + batchSize);
        }
        this.batchSize = batchSize;
        return this;
    }

    /** Data to compute {@code val_loss} and {@code val_accuracy} on after every epoch. */
    public FitOptions validationData(Dataset validationData) {
        this.validationData = validationData;
        return this;
    }

    /**
     * Holds out this fraction of the training data for validation: the last samples, taken
     * before any shuffling, as in Keras. For a shuffled hold-out use
     * {@link dev.kiln.runtime.data.Split} and {@link #validationData}.
     */
    public FitOptions validationSplit(double fraction) {
        if (!(fraction > 0 && fraction < 1)) {
            throw new IllegalArgumentException("the validation split must be strictly between 0 and 1 but is " + fraction);
        }
        this.validationSplit = fraction;
        return this;
    }

    /** Whether to shuffle the training samples before every epoch; true by default. */
    public FitOptions shuffle(boolean shuffle) {
        this.shuffle = shuffle;
        return this;
    }

    /** The seed of the shuffles; 0 by default. The same seed gives bit-identical weights. */
    public FitOptions seed(long seed) {
        this.seed = seed;
        return this;
    }

    /**
     * Weights of the classes in the loss, as Keras' {@code class_weight}: each sample's loss and
     * gradient are multiplied by the weight of its class (1 for classes not listed). The class of a
     * sample is its target index (sparse cross-entropy), the argmax of its target row (softmax
     * cross-entropy) or its target rounded to 0 or 1 (binary cross-entropy with one output).
     */
    public FitOptions classWeights(Map<Integer, ? extends Number> classWeights) {
        TreeMap<Integer, Double> copy = new TreeMap<>();
        classWeights.forEach((c, w) -> copy.put(c, w.doubleValue()));
        this.classWeights = copy;
        return this;
    }

    /** Clips the gradients to this global L2 norm before every step ({@code clip_grad_norm_}). */
    public FitOptions clipNorm(double maxNorm) {
        if (!(maxNorm > 0)) {
            throw new IllegalArgumentException("the maximum gradient norm must be > 0 but is " + maxNorm);
        }
        this.clipNorm = maxNorm;
        return this;
    }

    /** Sets the optimizer's learning rate before every epoch. */
    public FitOptions schedule(LearningRateSchedule schedule) {
        this.schedule = schedule;
        return this;
    }

    public FitOptions earlyStopping(EarlyStopping earlyStopping) {
        this.earlyStopping = earlyStopping;
        return this;
    }

    /**
     * The threads that train, the calling one included; 1 by default. Each gathers and computes
     * whole shards (see {@link #shards}, which defaults to this number), then sums the shards'
     * gradients and applies the optimizer over its own range of the parameters; the worker threads,
     * named {@code kiln-train-1}..., live as long as the fit. The number of threads changes the
     * speed, never the result: for the same shards the weights are bit-identical whatever the
     * threads. Clipping, evaluation and validation run on the calling thread.
     */
    public FitOptions threads(int threads) {
        if (threads <= 0) {
            throw new IllegalArgumentException("the number of threads must be > 0 but is " + threads);
        }
        this.threads = threads;
        return this;
    }

    /**
     * The number of slices each batch is cut into; by default as many as {@link #threads}. With
     * one shard a step is the plain {@code zeroGrad}, {@code forward}, {@code loss},
     * {@code backwardParameters} on the model. With {@code k > 1} the batch's {@code n} rows are cut
     * into {@code k} contiguous slices of {@code n_s} rows (the first {@code n % k} one row longer
     * than the others), each computed on its own replica of the model ({@link
     * dev.kiln.runtime.Model#replica}), and the gradient is {@code sum over s = 0..k-1 of
     * (n_s / n) * g_s}, each element summed in that order, then clipped and applied as usual. This
     * is the same gradient as with one shard up to float rounding; the number of shards, not of
     * threads, decides how it is rounded. Use at least as many shards as threads.
     */
    public FitOptions shards(int shards) {
        if (shards <= 0) {
            throw new IllegalArgumentException("the number of shards must be > 0 but is " + shards);
        }
        this.shards = shards;
        return this;
    }

    /** Writes exactly one line per epoch to {@code out}, as for a log file. */
    public FitOptions progress(PrintStream out) {
        return progress(out, false);
    }

    /**
     * Writes progress to {@code out}; in place, one line per epoch rewritten with {@code '\r'}
     * after each batch (at most ten times a second), or one line per epoch when finished.
     */
    public FitOptions progress(PrintStream out, boolean inPlace) {
        this.progress = out;
        this.inPlace = inPlace;
        return this;
    }

    /** Prints nothing. */
    public FitOptions quiet() {
        this.progress = null;
        this.inPlace = false;
        return this;
    }
}
