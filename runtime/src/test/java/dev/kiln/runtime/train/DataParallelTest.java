package dev.kiln.runtime.train;

import static dev.kiln.runtime.train.TrainerTest.blobs;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.annotations.Loss;
import dev.kiln.runtime.Parameters;
import dev.kiln.runtime.data.Dataset;
import dev.kiln.runtime.optim.Adam;
import dev.kiln.runtime.optim.Optimizer;
import dev.kiln.runtime.optim.ScalarOptimizers;
import dev.kiln.runtime.optim.Sgd;
import dev.kiln.runtime.testing.Lanes;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Data-parallel training ({@link FitOptions#threads}, {@link FitOptions#shards}) on
 * {@link LinearModel}, whose replicas are listed in shard order: with two threads and two shards,
 * replica 0 runs on the calling thread and replica 1 on {@code kiln-train-1}. Each test that
 * could hang on a lost wake-up has a timeout far above its running time.
 */
@Timeout(60)
@Tag(Lanes.TAG)
class DataParallelTest {

    private static LinearModel classifier() {
        return new LinearModel(4, 3, Loss.SPARSE_SOFTMAX_CROSS_ENTROPY, 11);
    }

    /** After every test, whether it passed or not: no worker thread outlives its fit. */
    @AfterEach
    void noWorkerThreadIsLeft() {
        assertEquals(List.of(), trainingThreads(), "threads named kiln-train-* still alive");
    }

    private static List<String> trainingThreads() {
        return Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive).map(Thread::getName)
                .filter(name -> name.startsWith("kiln-train-")).toList();
    }

    /** 97 samples in batches of 16: the last batch has one row, so with 3 shards two are empty. */
    private static float[] train(Optimizer optimizer, FitOptions options, Consumer<LinearModel> onReplica) {
        LinearModel model = classifier();
        model.onReplica = onReplica;
        new Trainer(model, optimizer).fit(blobs(97, 4), options.epochs(4).batchSize(16).seed(5).quiet());
        return model.parameters().values().clone();
    }

    @Test
    void threadsNeverChangeTheWeightsOfTheSameShards() {
        Set<String> threadsSeen = ConcurrentHashMap.newKeySet();
        Consumer<LinearModel> watch = replica -> replica.onForward = () -> threadsSeen.add(Thread.currentThread().getName());
        float[] one = train(new Adam(0.01), new FitOptions().threads(1).shards(2), watch);
        float[] two = train(new Adam(0.01), new FitOptions().threads(2).shards(2), watch);
        assertArrayEquals(one, two, "shards(2) with one thread and with two");
        assertTrue(threadsSeen.contains("kiln-train-1"), "a worker thread computed shards: " + threadsSeen);

        float[] threeByOne = train(new Adam(0.01), new FitOptions().threads(1).shards(3), watch);
        float[] threeByTwo = train(new Adam(0.01), new FitOptions().threads(2).shards(3), watch);
        float[] threeByThree = train(new Adam(0.01), new FitOptions().threads(3).shards(3), watch);
        assertArrayEquals(threeByOne, threeByTwo, "shards(3) with one thread and with two");
        assertArrayEquals(threeByOne, threeByThree, "shards(3) with one thread and with three");
        assertTrue(threadsSeen.contains("kiln-train-2"), "the third thread computed shards: " + threadsSeen);

        float[] unsharded = train(new Adam(0.01), new FitOptions(), null);
        assertFalse(Arrays.equals(unsharded, one), "two shards sum the floats in another order, so the bits differ");
    }

    /**
     * With clipping the optimizer steps in a second run after the clipping; an optimizer that cannot
     * step in ranges steps on the calling thread. Neither changes the bits.
     */
    @Test
    void clippingAndWholeStepOptimizersKeepTheBits() {
        FitOptions clipped = new FitOptions().threads(2).shards(2).clipNorm(0.05);
        float[] one = train(momentumSgd(), new FitOptions().threads(1).shards(2).clipNorm(0.05), null);
        float[] two = train(momentumSgd(), clipped, null);
        assertArrayEquals(one, two, "clipped, one thread and two");
        assertArrayEquals(two, train(wholeSteps(momentumSgd()), clipped, null), "clipped, whole steps");

        FitOptions unclipped = new FitOptions().threads(2).shards(2);
        float[] free = train(momentumSgd(), unclipped, null);
        assertFalse(Arrays.equals(free, two), "the clipping must have acted");
        assertArrayEquals(free, train(wholeSteps(momentumSgd()), unclipped, null), "unclipped, whole steps");
    }

    private static Sgd momentumSgd() {
        return new Sgd(0.3).momentum(0.9);
    }

    /** An optimizer that only steps whole, as one written before {@link Optimizer#beginStep} was. */
    private static Optimizer wholeSteps(Optimizer inner) {
        return new Optimizer() {
            @Override
            public void step(Parameters parameters) {
                inner.step(parameters);
            }

            @Override
            public double learningRate() {
                return inner.learningRate();
            }

            @Override
            public Optimizer learningRate(double learningRate) {
                inner.learningRate(learningRate);
                return this;
            }
        };
    }

    /** One shard is the plain step: the same bits as a hand-written loop over the batches in order. */
    @Test
    void oneShardIsThePlainStep() {
        Dataset data = blobs(97, 4);
        LinearModel byDefault = classifier();
        new Trainer(byDefault, new Adam(0.01)).fit(data, new FitOptions().epochs(3).batchSize(16).shuffle(false).quiet());
        LinearModel oneShard = classifier();
        new Trainer(oneShard, new Adam(0.01)).fit(data,
                new FitOptions().epochs(3).batchSize(16).shuffle(false).threads(1).shards(1).quiet());

        LinearModel byHand = classifier();
        Adam adam = new Adam(0.01);
        for (int epoch = 0; epoch < 3; epoch++) {
            for (int start = 0; start < 97; start += 16) {
                byHand.zeroGrad();
                byHand.forward(data.features(), start * 4, Math.min(16, 97 - start));
                byHand.loss(data.targets(), start);
                byHand.backwardParameters();
                adam.step(byHand.parameters());
            }
        }
        assertArrayEquals(byHand.parameters().values(), byDefault.parameters().values(), "default options");
        assertArrayEquals(byHand.parameters().values(), oneShard.parameters().values(), "threads(1).shards(1)");
        assertTrue(byDefault.replicas.isEmpty() && oneShard.replicas.isEmpty(), "one shard trains the model itself");
    }

    /**
     * Shards change how the gradient is rounded, not what it is: after one epoch of SGD (4 batches
     * of 31, unshuffled; with 4 shards of 8, 8, 8 and 7 rows) the weights agree with the unsharded
     * ones to float rounding, and after five shuffled epochs still closely, with class weights too
     * (each shard must get the weights of its own rows).
     */
    @Test
    void shardsComputeTheSameGradientUpToRounding() {
        Dataset data = blobs(124, 6);
        Map<Integer, Double> classWeights = Map.of(0, 3.0, 1, 0.5);
        for (boolean weighted : new boolean[] {false, true}) {
            for (int epochs : new int[] {1, 5}) {
                float[] reference = sgd(data, 1, epochs, weighted ? classWeights : null);
                float[] start = classifier().parameters().values();
                for (int shards : new int[] {2, 3, 4}) {
                    float[] sharded = sgd(data, shards, epochs, weighted ? classWeights : null);
                    String what = shards + " shards, " + epochs + " epochs" + (weighted ? ", class weights" : "");
                    double tolerance = epochs == 1 ? 1e-6 : 1e-5;
                    double moved = 0;
                    for (int i = 0; i < reference.length; i++) {
                        assertEquals(reference[i], sharded[i], tolerance, what + ", parameter " + i);
                        moved = Math.max(moved, Math.abs(sharded[i] - start[i]));
                    }
                    assertTrue(moved > 0.1, what + ": the weights must move, but moved at most " + moved);
                }
            }
        }
    }

    /** SGD with learning rate 0.5 in batches of 31, shuffled when training for more than one epoch. */
    private static float[] sgd(Dataset data, int shards, int epochs, Map<Integer, Double> classWeights) {
        LinearModel model = classifier();
        FitOptions options = new FitOptions().epochs(epochs).batchSize(31).shuffle(epochs > 1).seed(3).shards(shards).quiet();
        if (classWeights != null) {
            options.classWeights(classWeights);
        }
        new Trainer(model, new Sgd(0.5)).fit(data, options);
        return model.parameters().values().clone();
    }

    @Test
    void eachShardIsAContiguousSliceSizedByTheBatchAlone() {
        Dataset data = blobs(13, 1);
        LinearModel model = classifier();
        model.onReplica = replica -> replica.recording = true;
        new Trainer(model, new Sgd(0.1)).fit(data, new FitOptions().batchSize(10).shuffle(false).threads(2).shards(4).quiet());
        // {first row, rows} that replica s saw in batch 1 (10 rows), then in batch 2 (3 rows)
        int[][] expected = {{0, 3}, {0, 1}, {3, 3}, {1, 1}, {6, 2}, {2, 1}, {8, 2}};
        int next = 0;
        for (int s = 0; s < 4; s++) {
            List<int[]> seen = model.replicas.get(s).rowsAtForward;
            for (int[] slice : seen) {
                assertArrayEquals(expected[next++], slice, "shard " + s);
            }
        }
        assertEquals(expected.length, next, "the batch of 3 rows leaves shard 3 empty");
    }

    @Test
    void shardedTrainingLearnsAndReportsAccuracyAndProgress() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        LinearModel model = classifier();
        Trainer trainer = new Trainer(model, new Adam(0.05));
        History history = trainer.fit(blobs(240, 1), new FitOptions().epochs(8).batchSize(16).seed(3).threads(2).progress(out, true));
        double[] loss = history.get("loss");
        assertTrue(loss[7] < 0.5 * loss[0], "loss went from " + loss[0] + " to " + loss[7]);
        assertTrue(history.last().accuracy() > 0.9, "training accuracy " + history.last().accuracy());
        assertTrue(trainer.evaluate(blobs(300, 2)).accuracy() > 0.9);
        String text = bytes.toString(StandardCharsets.UTF_8);
        assertTrue(text.contains("\rEpoch 8/8 - 15/15 - ") && text.contains(" - accuracy: "), text);
    }

    /**
     * 150 samples in batches of 50 on two shards: shard 1's fifth loss is epoch 2, batch 2. The
     * weights go back to those before the update of epoch 2, batch 1, which shard 0 saw at its
     * fourth forward pass.
     */
    @Test
    void aNaNInOneShardStopsAndRestoresTheLastGoodWeights() {
        for (int[] failure : new int[][] {{5, 2, 2}, {1, 1, 1}}) {
            LinearModel model = classifier();
            model.onReplica = replica -> {
                replica.recording = true;
                if (model.replicas.size() == 2) {
                    replica.nanAtLossCall = failure[0];
                }
            };
            Trainer trainer = new Trainer(model, new Sgd(0.1).momentum(0.9));
            NonFiniteLossException e = assertThrows(NonFiniteLossException.class,
                    () -> trainer.fit(blobs(150, 7), new FitOptions().epochs(5).batchSize(50).seed(2).threads(2).quiet()));
            assertEquals(failure[1], e.epoch());
            assertEquals(failure[2], e.batch());
            assertTrue(e.getMessage().startsWith("The loss is NaN at epoch " + failure[1] + ", batch " + failure[2] + " of 3."),
                    e.getMessage());
            List<float[]> seen = model.replicas.get(0).weightsAtForward;
            assertEquals(failure[0], seen.size(), "shard 0 ran up to the failing step");
            assertArrayEquals(seen.get(Math.max(failure[0] - 2, 0)), model.parameters().values(),
                    "weights before the update of the last batch with a finite loss");
        }
    }

    /** A worker's exception reaches the caller as a TrainingException naming the batch and the thread, the cause with the worker's stack. */
    @Test
    void aWorkersExceptionReachesTheCallerWithItsStackTrace() {
        IllegalStateException[] thrown = new IllegalStateException[1];
        LinearModel model = classifier();
        model.onReplica = replica -> {
            if (model.replicas.size() == 2) {
                int[] calls = {0};
                replica.onForward = () -> {
                    if (++calls[0] == 3) {
                        thrown[0] = new IllegalStateException("broken shard");
                        throw thrown[0];
                    }
                };
            }
        };
        TrainingException e = assertThrows(TrainingException.class, () -> new Trainer(model, new Adam(0.01))
                .fit(blobs(100, 1), new FitOptions().epochs(2).batchSize(10).threads(2).quiet()));
        assertSame(thrown[0], e.getCause());
        assertEquals("Training failed at epoch 1, batch 3 of 10 on thread 'kiln-train-1': java.lang.IllegalStateException: broken shard. "
                + "The weights are those before this batch's update.", e.getMessage());
        assertEquals(1, e.epoch());
        assertEquals(3, e.batch());
        assertTrue(Arrays.stream(thrown[0].getStackTrace()).anyMatch(f -> f.getClassName().endsWith("WorkerThreads")
                && f.getMethodName().equals("work")), "the cause carries the worker's stack");
    }

    /** The caller's own exception arrives the same way, so the thread count never changes what is thrown. */
    @Test
    void theCallersOwnExceptionArrivesTheSameWay() {
        IllegalStateException thrown = new IllegalStateException("broken shard 0");
        LinearModel model = classifier();
        model.onReplica = replica -> {
            if (model.replicas.size() == 1) {
                replica.onForward = () -> {
                    throw thrown;
                };
            }
        };
        TrainingException e = assertThrows(TrainingException.class, () -> new Trainer(model, new Adam(0.01))
                .fit(blobs(100, 1), new FitOptions().threads(2).quiet()));
        assertSame(thrown, e.getCause());
        assertTrue(e.getMessage().startsWith("Training failed at epoch 1, batch 1 of 4 on thread '" + Thread.currentThread().getName() + "'"),
                e.getMessage());
    }

    /**
     * An optimizer that fails halfway through the last range of a step (on the worker with two
     * threads, after the caller stepped the first range): the weights are those before the step,
     * every element of them.
     */
    @Test
    void anOptimizerFailingOnOneThreadLeavesNoHalfUpdate() {
        for (int threads : new int[] {1, 2}) {
            LinearModel model = classifier();
            float[][] before = new float[1][];
            int[] steps = {0};
            Sgd plain = new Sgd(0.1);
            Optimizer sgd = new Optimizer() {
                @Override
                public void step(Parameters parameters) {
                    plain.step(parameters);
                }

                @Override
                public boolean beginStep(Parameters parameters) {
                    before[0] = parameters.values().clone();
                    steps[0]++;
                    return plain.beginStep(parameters);
                }

                @Override
                public void step(Parameters parameters, int from, int to) {
                    if (steps[0] == 5 && to == parameters.size()) {
                        plain.step(parameters, from, (from + to) / 2); // half of the range, then a failure
                        throw new IllegalStateException("failed in range " + from + ".." + to);
                    }
                    plain.step(parameters, from, to);
                }

                @Override
                public double learningRate() {
                    return plain.learningRate();
                }

                @Override
                public Optimizer learningRate(double learningRate) {
                    plain.learningRate(learningRate);
                    return this;
                }
            };
            Trainer trainer = new Trainer(model, sgd);
            FitOptions options = new FitOptions().epochs(3).batchSize(10).threads(threads).shards(2).quiet();
            TrainingException e = assertThrows(TrainingException.class, () -> trainer.fit(blobs(100, 1), options), "threads " + threads);
            assertTrue(e.getCause().getMessage().startsWith("failed in range"), e.getMessage());
            assertArrayEquals(before[0], model.parameters().values(), threads + " threads: the weights before the failed step");
        }
    }
    /**
     * With two threads, neither the calling thread (an extra epoch costs less than 1,000 bytes, as
     * in {@link TrainerTest}) nor the worker (nothing between its forward pass of the third epoch
     * and its last of the twelfth, 500 steps apart) allocates per step: any allocation per step
     * would cost at least 16 bytes times 50 steps per epoch.
     */
    @Test
    void stepsAllocateNothingOnAnyThread() {
        Dataset data = blobs(200, 3);
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        allocatedByFit(data, 2, mx, new long[2 * 50]);
        long two = allocatedByFit(data, 2, mx, new long[2 * 50]);
        long[] worker = new long[12 * 50];
        long twelve = allocatedByFit(data, 12, mx, worker);
        double perEpoch = (twelve - two) / 10.0;
        assertTrue(perEpoch < 1000, "each further epoch allocated " + perEpoch + " bytes on the calling thread");
        assertTrue(worker[worker.length - 1] > 0, "the worker recorded every step");
        long workerBytes = worker[worker.length - 1] - worker[2 * 50];
        assertTrue(workerBytes < 1000, "the worker allocated " + workerBytes + " bytes in 500 steps");
    }

    /**
     * The bytes the calling thread allocated during a fit on two threads.
     *
     * @param workerBytes receives the bytes the worker (shard 1) has allocated at each forward pass
     */
    private static long allocatedByFit(Dataset data, int epochs, com.sun.management.ThreadMXBean mx, long[] workerBytes) {
        LinearModel model = classifier();
        model.onReplica = replica -> {
            if (model.replicas.size() == 2) {
                int[] calls = {0};
                replica.onForward = () -> {
                    if (Thread.currentThread().getName().equals("kiln-train-1")) {
                        workerBytes[calls[0]++] = mx.getCurrentThreadAllocatedBytes();
                    }
                };
            }
        };
        Trainer trainer = new Trainer(model, ScalarOptimizers.adam(0.01));
        FitOptions options = new FitOptions().epochs(epochs).batchSize(4).threads(2).quiet();
        long before = mx.getCurrentThreadAllocatedBytes();
        trainer.fit(data, options);
        return mx.getCurrentThreadAllocatedBytes() - before;
    }

    @Test
    void moreThreadsThanShardsAreRejected() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new Trainer(classifier(), new Sgd(0.1))
                .fit(blobs(10, 1), new FitOptions().threads(3).shards(2).quiet()));
        assertEquals("3 threads need at least as many shards, but there are 2; each thread computes whole shards", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new FitOptions().threads(0));
        assertThrows(IllegalArgumentException.class, () -> new FitOptions().shards(0));
    }
}
