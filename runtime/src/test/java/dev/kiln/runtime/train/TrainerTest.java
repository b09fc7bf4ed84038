package dev.kiln.runtime.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.annotations.Loss;
import dev.kiln.runtime.SeededRandom;
import dev.kiln.runtime.data.Dataset;
import dev.kiln.runtime.optim.Adam;
import dev.kiln.runtime.optim.ScalarOptimizers;
import dev.kiln.runtime.optim.Sgd;
import dev.kiln.runtime.optim.StepDecay;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TrainerTest {

    /** Three Gaussian blobs in 4 dimensions, {@code n} samples, class indices as targets. */
    static Dataset blobs(int n, long seed) {
        SeededRandom random = new SeededRandom(seed);
        float[][] centers = {{2, 0, 0, 1}, {0, 2, 0, -1}, {0, 0, 2, 0}};
        float[] x = new float[n * 4];
        float[] y = new float[n];
        for (int s = 0; s < n; s++) {
            int c = random.nextInt(3);
            y[s] = c;
            for (int i = 0; i < 4; i++) {
                x[s * 4 + i] = centers[c][i] + 0.7f * (float) random.nextGaussian();
            }
        }
        return new Dataset(x, new int[] {4}, y, 1);
    }

    private static LinearModel classifier() {
        return new LinearModel(4, 3, Loss.SPARSE_SOFTMAX_CROSS_ENTROPY, 11);
    }

    @Test
    void fitReducesTheLossAndLearnsTheBlobs() {
        LinearModel model = classifier();
        Trainer trainer = new Trainer(model, new Adam(0.05));
        Dataset train = blobs(240, 1);
        Evaluation before = trainer.evaluate(train);
        History history = trainer.fit(train, new FitOptions().epochs(8).batchSize(16).seed(3).quiet());
        double[] loss = history.get("loss");
        assertEquals(8, loss.length);
        assertTrue(loss[7] < 0.5 * loss[0], "loss went from " + loss[0] + " to " + loss[7]);
        Evaluation after = trainer.evaluate(blobs(300, 2));
        assertTrue(after.loss() < 0.5 * before.loss(), "held-out loss " + before.loss() + " -> " + after.loss());
        assertTrue(after.accuracy() > 0.9, "held-out accuracy " + after.accuracy());
        assertTrue(history.last().accuracy() > 0.9, "training accuracy " + history.last().accuracy());
    }

    @Test
    void theSameSeedGivesBitIdenticalWeights() {
        Dataset train = blobs(100, 4);
        float[] first = trainWithSeed(train, 42);
        float[] second = trainWithSeed(train, 42);
        float[] other = trainWithSeed(train, 43);
        assertArrayEquals(first, second);
        assertFalse(Arrays.equals(first, other), "another seed shuffles differently, so it must end elsewhere");
    }

    private static float[] trainWithSeed(Dataset train, long seed) {
        LinearModel model = classifier();
        new Trainer(model, new Adam(0.01)).fit(train, new FitOptions().epochs(3).batchSize(8).seed(seed).quiet());
        return model.parameters().values().clone();
    }

    /**
     * The validation labels are the training labels shifted by one class, so the better the model
     * fits the training data the worse its validation loss: it is lowest early, then rises.
     */
    @Test
    void earlyStoppingStopsAndRestoresTheBestEpoch() {
        Dataset train = blobs(120, 5);
        Dataset shifted = blobs(60, 6);
        float[] y = shifted.targets();
        for (int i = 0; i < y.length; i++) {
            y[i] = (y[i] + 1) % 3;
        }
        LinearModel model = classifier();
        FitOptions options = new FitOptions().epochs(30).batchSize(10).seed(1).validationData(shifted).quiet()
                .earlyStopping(EarlyStopping.on("val_loss").patience(2).restoreBestWeights(true));
        History history = new Trainer(model, new Adam(0.02)).fit(train, options);

        double[] valLoss = history.get("val_loss");
        int best = 0;
        for (int e = 1; e < valLoss.length; e++) {
            best = valLoss[e] < valLoss[best] ? e : best;
        }
        assertTrue(history.stoppedEpoch() > 0 && history.stoppedEpoch() < 30, "stopped at " + history.stoppedEpoch());
        assertEquals(best + 3, history.stoppedEpoch(), "stops after two epochs without improvement");
        assertEquals(best + 1, history.restoredEpoch());

        LinearModel replay = classifier();
        new Trainer(replay, new Adam(0.02)).fit(train, new FitOptions().epochs(best + 1).batchSize(10).seed(1).quiet());
        assertArrayEquals(replay.parameters().values(), model.parameters().values(),
                "the restored weights are those at the end of epoch " + (best + 1));
    }

    @Test
    void earlyStoppingWithoutRestoringKeepsTheLastWeights() {
        Dataset train = blobs(60, 5);
        LinearModel model = classifier();
        History history = new Trainer(model, new Sgd(0.5)).fit(train, new FitOptions().epochs(6).batchSize(60).shuffle(false).quiet()
                .earlyStopping(EarlyStopping.on("loss").minDelta(10)));
        assertEquals(2, history.stoppedEpoch(), "no epoch improves the loss by 10, so patience 0 stops at the second");
        assertEquals(0, history.restoredEpoch());
        LinearModel replay = classifier();
        new Trainer(replay, new Sgd(0.5)).fit(train, new FitOptions().epochs(2).batchSize(60).shuffle(false).quiet());
        assertArrayEquals(replay.parameters().values(), model.parameters().values());
    }

    /** 150 samples in batches of 50: loss call 7 is epoch 3, batch 1; call 5 is epoch 2, batch 2. */
    @Test
    void aNaNLossStopsWithItsEpochAndBatchAndRestoresTheLastGoodWeights() {
        for (int[] failure : new int[][] {{7, 3, 1}, {5, 2, 2}, {1, 1, 1}}) {
            LinearModel model = classifier();
            model.recording = true;
            model.nanAtLossCall = failure[0];
            Trainer trainer = new Trainer(model, new Sgd(0.1).momentum(0.9));
            NonFiniteLossException e = assertThrows(NonFiniteLossException.class,
                    () -> trainer.fit(blobs(150, 7), new FitOptions().epochs(5).batchSize(50).seed(2).quiet()));
            assertEquals(failure[1], e.epoch());
            assertEquals(failure[2], e.batch());
            assertTrue(Float.isNaN(e.loss()));
            assertTrue(e.getMessage().startsWith("The loss is NaN at epoch " + failure[1] + ", batch " + failure[2] + " of 3."),
                    e.getMessage());
            assertEquals(failure[1] - 1, e.history().epochs().size(), "the completed epochs");
            int lastGoodForward = Math.max(failure[0] - 2, 0); // the forward before the failing one, 0-based
            assertArrayEquals(model.weightsAtForward.get(lastGoodForward), model.parameters().values(),
                    "weights before the update of the last batch with a finite loss");
        }
    }

    /** Linear regression with a learning rate far too large diverges until the loss overflows. */
    @Test
    void aDivergingFitStopsBeforeTheWeightsBecomeNaN() {
        SeededRandom random = new SeededRandom(9);
        float[] x = new float[64 * 2];
        float[] y = new float[64];
        for (int s = 0; s < 64; s++) {
            x[2 * s] = (float) random.nextGaussian();
            x[2 * s + 1] = (float) random.nextGaussian();
            y[s] = 3 * x[2 * s] - x[2 * s + 1];
        }
        LinearModel model = new LinearModel(2, 1, Loss.MSE, 1);
        NonFiniteLossException e = assertThrows(NonFiniteLossException.class,
                () -> new Trainer(model, new Sgd(20)).fit(new Dataset(x, new int[] {2}, y, 1),
                        new FitOptions().epochs(100).batchSize(16).quiet()));
        assertFalse(Float.isFinite(e.loss()));
        for (float w : model.parameters().values()) {
            assertTrue(Float.isFinite(w), "restored weights are finite: " + Arrays.toString(model.parameters().values()));
        }
    }

    /**
     * With weights {0: 2, 2: 0.5}, each sample's loss is multiplied by its class's weight: the model
     * receives those per-sample weights, and one SGD step with learning rate 1 on the whole batch
     * moves the weights by minus the weighted mean of the per-sample gradients.
     */
    @Test
    void classWeightsWeightEachSamplesGradient() {
        Dataset data = blobs(30, 8);
        Map<Integer, Double> classWeights = Map.of(0, 2.0, 2, 0.5);
        LinearModel model = classifier();
        float[] start = model.parameters().values().clone();
        model.recording = true;
        new Trainer(model, new Sgd(1.0)).fit(data, new FitOptions().batchSize(30).shuffle(false).classWeights(classWeights).quiet());

        float[] weights = model.sampleWeightsAtLoss.getFirst();
        double[] expected = new double[start.length];
        LinearModel single = classifier();
        for (int s = 0; s < 30; s++) {
            int c = (int) data.targets()[s];
            float w = c == 0 ? 2f : c == 2 ? 0.5f : 1f;
            assertEquals(w, weights[s], "weight of sample " + s + " of class " + c);
            single.zeroGrad();
            single.forward(data.features(), s * 4, 1);
            single.loss(data.targets(), s);
            single.backwardParameters();
            for (int i = 0; i < start.length; i++) {
                expected[i] += w * single.parameters().gradients()[i] / 30.0;
            }
        }
        for (int i = 0; i < start.length; i++) {
            assertEquals(start[i] - expected[i], model.parameters().values()[i], 1e-6, "parameter " + i);
        }
        float[] unweighted = classifier().parameters().values().clone();
        assertFalse(Arrays.equals(unweighted, model.parameters().values()));
    }

    @Test
    void classWeightsRejectUnknownClasses() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new Trainer(classifier(), new Sgd(0.1))
                .fit(blobs(10, 1), new FitOptions().classWeights(Map.of(3, 2.0)).quiet()));
        assertEquals("class weight for class 3, but LinearModel has classes 0 to 2", e.getMessage());
    }

    @Test
    void logProgressIsOneLinePerEpoch() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        new Trainer(classifier(), new Adam(0.01)).fit(blobs(100, 1),
                new FitOptions().epochs(3).batchSize(10).validationSplit(0.2).progress(out));
        String text = bytes.toString(StandardCharsets.UTF_8);
        String[] lines = text.split("\n", -1);
        assertEquals(4, lines.length, text);
        assertEquals("", lines[3]);
        for (int e = 0; e < 3; e++) {
            assertTrue(lines[e].startsWith("Epoch " + (e + 1) + "/3 - 8/8 - "), lines[e]);
            assertTrue(lines[e].contains(" - loss: ") && lines[e].contains(" - accuracy: ") && lines[e].contains(" - val_loss: ")
                    && lines[e].contains(" - val_accuracy: ") && lines[e].contains(" samples/s"), lines[e]);
        }
        assertFalse(text.contains("\r"));
    }

    @Test
    void inPlaceProgressRewritesOneLinePerEpoch() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        new Trainer(classifier(), new Adam(0.01)).fit(blobs(100, 1), new FitOptions().epochs(2).batchSize(10).progress(out, true));
        String text = bytes.toString(StandardCharsets.UTF_8);
        assertEquals(2, text.chars().filter(c -> c == '\n').count(), text);
        assertTrue(text.startsWith("\rEpoch 1/2 - "), text);
        assertTrue(text.contains("\rEpoch 1/2 - 10/10 - ") && text.contains("\rEpoch 2/2 - 10/10 - "), text);
        assertTrue(text.contains("ETA"), "the last batch of an epoch is always shown");
    }

    @Test
    void validationSplitHoldsOutTheLastSamples() {
        Dataset data = blobs(50, 3);
        LinearModel model = classifier();
        Trainer trainer = new Trainer(model, new Adam(0.01));
        History history = trainer.fit(data, new FitOptions().epochs(1).batchSize(8).validationSplit(0.2).quiet());
        Evaluation tail = trainer.evaluate(data.slice(40, 50), 8);
        assertEquals(tail.loss(), history.last().valLoss());
        assertEquals(tail.accuracy(), history.last().valAccuracy());
    }

    @Test
    void theScheduleSetsTheLearningRateOfEachEpoch() {
        Sgd sgd = new Sgd(0.1);
        History history = new Trainer(classifier(), sgd).fit(blobs(20, 1),
                new FitOptions().epochs(4).batchSize(10).schedule(new StepDecay(2, 0.5)).quiet());
        assertArrayEquals(new double[] {0.1, 0.1, 0.05, 0.05}, history.get("learning_rate"));
        assertEquals(0.05, sgd.learningRate());
    }

    @Test
    void evaluateAveragesOverSamplesWhateverTheBatchSize() {
        Dataset data = blobs(53, 2);
        Trainer trainer = new Trainer(classifier(), new Sgd(0.1));
        Evaluation whole = trainer.evaluate(data, 53);
        Evaluation batched = trainer.evaluate(data, 7);
        assertEquals(whole.loss(), batched.loss(), 1e-6);
        assertEquals(whole.accuracy(), batched.accuracy());
    }

    @Test
    void predictReturnsTheOutputsOfEverySample() {
        Dataset data = blobs(23, 2);
        LinearModel model = classifier();
        float[] outputs = new Trainer(model, new Sgd(0.1)).predict(data, 5);
        assertEquals(23 * 3, outputs.length);
        for (int s = 0; s < 23; s++) {
            float[] one = model.predict(Arrays.copyOfRange(data.features(), s * 4, s * 4 + 4));
            assertArrayEquals(one, Arrays.copyOfRange(outputs, s * 3, s * 3 + 3), "sample " + s);
        }
    }

    /** Logits of 0.3 for every sample, all targets 1: right with threshold 0, wrong with 0.5. */
    @Test
    void binaryAccuracyUsesTheThreshold() {
        LinearModel model = new LinearModel(2, 1, Loss.BINARY_CROSS_ENTROPY, 1);
        Arrays.fill(model.parameters().values(), 0f);
        model.parameters().set("dense.bias", new float[] {0.3f});
        Dataset data = new Dataset(new float[8], new int[] {2}, new float[] {1, 1, 1, 1}, 1);
        assertEquals(1.0, new Trainer(model, new Sgd(0.1)).binaryThreshold(0f).evaluate(data).accuracy());
        assertEquals(0.0, new Trainer(model, new Sgd(0.1)).evaluate(data).accuracy());
    }

    @Test
    void mseHasNoAccuracy() {
        LinearModel model = new LinearModel(2, 1, Loss.MSE, 1);
        Dataset data = new Dataset(new float[8], new int[] {2}, new float[] {1, 1, 1, 1}, 1);
        assertTrue(Double.isNaN(new Trainer(model, new Sgd(0.1)).evaluate(data).accuracy()));
    }

    /**
     * Training for 12 epochs allocates no more per extra epoch than a few small objects (the
     * epoch's metrics), although each epoch runs 200 steps: any allocation per step would add at
     * least 16 bytes times 200. The optimizer runs its scalar kernel: Vector API code allocates its
     * vectors until C2 compiles it, which a short test cannot wait for.
     */
    @Test
    void stepsAllocateNothingAfterTheFirstEpoch() {
        Dataset data = blobs(200, 3);
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        allocatedByFit(data, 2, threads);
        long two = allocatedByFit(data, 2, threads);
        long twelve = allocatedByFit(data, 12, threads);
        double perEpoch = (twelve - two) / 10.0;
        assertTrue(perEpoch < 1000, "each further epoch allocated " + perEpoch + " bytes");
    }

    private static long allocatedByFit(Dataset data, int epochs, com.sun.management.ThreadMXBean threads) {
        Trainer trainer = new Trainer(classifier(), ScalarOptimizers.adam(0.01));
        FitOptions options = new FitOptions().epochs(epochs).batchSize(1).quiet();
        long before = threads.getCurrentThreadAllocatedBytes();
        trainer.fit(data, options);
        return threads.getCurrentThreadAllocatedBytes() - before;
    }

    @Test
    void rejectsDataOfTheWrongShape() {
        Dataset wide = new Dataset(new float[10], new int[] {5}, new float[] {0, 1}, 1);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new Trainer(classifier(), new Sgd(0.1)).fit(wide, new FitOptions().quiet()));
        assertEquals("the training data has samples of 5 floats but LinearModel takes 4", e.getMessage());
    }

    /** A bad target fails before the first step, named by its index in the data set, with the weights untouched. */
    @Test
    void badTargetsFailBeforeTheFirstStepNamingTheSample() {
        for (float bad : new float[] {3, Float.NaN, 1.5f, -1}) {
            for (int threads : new int[] {1, 2}) {
                LinearModel model = classifier();
                float[] before = model.parameters().values().clone();
                Dataset data = blobs(120, 4);
                data.targets()[57] = bad;
                IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                        () -> new Trainer(model, new Sgd(0.1)).fit(data, new FitOptions().epochs(2).batchSize(16).threads(threads).quiet()));
                assertEquals("the training data's sample 57 has target = " + bad + ", but LinearModel has classes 0 to 2 and sparse "
                        + "cross-entropy takes each sample's class index", e.getMessage());
                assertArrayEquals(before, model.parameters().values(), "no step was taken");
            }
        }
        LinearModel model = classifier();
        Dataset validation = blobs(30, 5);
        validation.targets()[29] = 7;
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new Trainer(model, new Sgd(0.1)).fit(blobs(60, 4), new FitOptions().validationData(validation).quiet()));
        assertTrue(e.getMessage().startsWith("the validation data's sample 29 has target = 7.0"), e.getMessage());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new Trainer(model, new Sgd(0.1)).evaluate(validation))
                .getMessage().startsWith("the evaluation data's sample 29 has target = 7.0"));
    }

    @Test
    void aNonFiniteFeatureFailsBeforeTheFirstStepNamingTheSample() {
        Dataset data = blobs(50, 4);
        data.features()[4 * 13 + 2] = Float.POSITIVE_INFINITY;
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new Trainer(classifier(), new Sgd(0.1)).fit(data, new FitOptions().quiet()));
        assertEquals("the training data's sample 13 has feature 2 = Infinity; every feature must be a finite number: fill or drop missing "
                + "values first", e.getMessage());
    }

    @Test
    void targetsOfTheOtherLossesAreChecked() {
        LinearModel binary = new LinearModel(4, 1, Loss.BINARY_CROSS_ENTROPY, 3);
        Dataset data = new Dataset(new float[8], new int[] {4}, new float[] {0, 2}, 1);
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new Trainer(binary, new Sgd(0.1)).fit(data, new FitOptions().quiet()))
                .getMessage().endsWith("sample 1 has target = 2.0, but binary cross-entropy takes targets from 0 to 1"));
        LinearModel regression = new LinearModel(4, 2, Loss.MSE, 3);
        Dataset nan = new Dataset(new float[8], new int[] {4}, new float[] {0, 1, Float.NaN, 3}, 2);
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new Trainer(regression, new Sgd(0.1)).fit(nan, new FitOptions().quiet()))
                .getMessage().endsWith("sample 1 has target 0 = NaN, but the targets of a mean squared error must be finite"));
    }

    /**
     * 80 training samples in batches of 20 and 20 validation samples: 5 loss calls an epoch, so the
     * tenth is epoch 2's validation. Training stops there with the weights after epoch 1.
     */
    @Test
    void aNonFiniteValidationLossStopsWithTheLastValidatedWeights() {
        FitOptions options = new FitOptions().epochs(4).batchSize(20).validationSplit(0.2).seed(3).quiet();
        LinearModel reference = classifier();
        new Trainer(reference, new Sgd(0.1)).fit(blobs(100, 6), new FitOptions().epochs(1).batchSize(20).validationSplit(0.2).seed(3).quiet());
        LinearModel model = classifier();
        model.nanAtLossCall = 10;
        NonFiniteLossException e = assertThrows(NonFiniteLossException.class, () -> new Trainer(model, new Sgd(0.1)).fit(blobs(100, 6), options));
        assertEquals(2, e.epoch());
        assertEquals(0, e.batch());
        assertTrue(e.getMessage().startsWith("The validation loss is NaN after epoch 2 while the training loss was finite. The weights are "
                + "restored to those after epoch 1, the last with a finite validation loss."), e.getMessage());
        assertArrayEquals(reference.parameters().values(), model.parameters().values());
    }

    @Test
    void earlyStoppingOnAnAccuracyTheLossDoesNotHaveIsRefused() {
        LinearModel regression = new LinearModel(4, 1, Loss.MSE, 3);
        Dataset data = new Dataset(new float[40], new int[] {4}, new float[10], 1);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new Trainer(regression, new Sgd(0.1))
                .fit(data, new FitOptions().validationSplit(0.2).earlyStopping(EarlyStopping.on("val_accuracy")).quiet()));
        assertTrue(e.getMessage().contains("is trained with MSE, which has no accuracy; monitor val_loss or loss"), e.getMessage());
    }
}
