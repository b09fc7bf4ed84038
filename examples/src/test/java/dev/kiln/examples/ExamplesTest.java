package dev.kiln.examples;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.runtime.data.Dataset;
import dev.kiln.runtime.data.Digits;
import dev.kiln.runtime.data.ImageLayout;
import dev.kiln.runtime.data.Scaling;
import dev.kiln.runtime.data.Split;
import dev.kiln.runtime.optim.Adam;
import dev.kiln.runtime.train.Evaluation;
import dev.kiln.runtime.train.FitOptions;
import dev.kiln.runtime.train.History;
import dev.kiln.runtime.train.Trainer;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The examples do what the README says, on the data they ship or small data made here. */
class ExamplesTest {

    @Test
    void digitsReachesNinetyFivePercentAndReloadsItsWeights(@TempDir Path out) throws IOException {
        ByteArrayOutputStream text = new ByteArrayOutputStream();
        DigitsExample.Result result = DigitsExample.run(out, 40, new PrintStream(text, true, StandardCharsets.UTF_8));
        assertTrue(result.test().accuracy() >= 0.95, "test accuracy " + result.test().accuracy());
        assertTrue(result.shownCorrect() >= 6, "the reloaded model got " + result.shownCorrect() + " of 8 shown images right");
        assertTrue(Files.size(result.weights()) > 4 * 4810, "weights file " + result.weights());
        String svg = Files.readString(result.chart());
        assertTrue(svg.startsWith("<svg") && svg.contains("<polyline"), "the chart has curves");
        String log = text.toString(StandardCharsets.UTF_8);
        assertEquals(40, log.lines().filter(l -> l.startsWith("Epoch ")).count(), "one progress line per epoch in a log:\n" + log);
        assertTrue(log.contains("true label"), log);
    }

    @Test
    void linearRegressionRecoversSlopeAndIntercept() {
        LinearRegressionExample.Fit fit = LinearRegressionExample.run(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
        assertEquals(LinearRegressionExample.SLOPE, fit.slope(), 0.02);
        assertEquals(LinearRegressionExample.INTERCEPT, fit.intercept(), 0.02);
    }

    /** The Fashion-MNIST example's code path on a tiny IDX directory: class k is a bright row k. */
    @Test
    void fashionExampleTrainsOnAnIdxDirectory(@TempDir Path dir) throws IOException {
        writeIdx(dir, "train", 600);
        writeIdx(dir, "t10k", 100);
        Evaluation evaluation = FashionMnistExample.run(dir, 3, dir.resolve("out"), new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
        assertTrue(evaluation.accuracy() >= 0.9, "accuracy " + evaluation.accuracy());
        assertTrue(Files.exists(dir.resolve("out/fashion-mlp.safetensors")));
    }

    /** The seeds' CNN example's code path (images channels last) on the same tiny IDX directory. */
    @Test
    void fashionCnnExampleTrainsOnAnIdxDirectory(@TempDir Path dir) throws IOException {
        writeIdx(dir, "train", 600);
        writeIdx(dir, "t10k", 100);
        ByteArrayOutputStream text = new ByteArrayOutputStream();
        Evaluation evaluation = FashionCnnExample.run(dir, 2, dir.resolve("out"), new PrintStream(text, true, StandardCharsets.UTF_8));
        assertTrue(evaluation.accuracy() >= 0.9, "accuracy " + evaluation.accuracy());
        assertTrue(Files.exists(dir.resolve("out/fashion-cnn.safetensors")));
        assertTrue(text.toString(StandardCharsets.UTF_8).contains("600 training and 100 test images of 28x28x1"));
    }

    /** A small CNN learns the shipped 8x8 digits, read channels last (8, 8, 1). */
    @Test
    void digitsCnnLearnsTheDigits() throws IOException {
        Dataset all;
        try (InputStream in = ExamplesTest.class.getResourceAsStream("/digits.csv.gz")) {
            all = Scaling.divide(Digits.load(in, "digits.csv.gz", ImageLayout.CHANNELS_LAST), Digits.MAX_PIXEL);
        }
        Split split = Split.of(all, 0.2, 7);
        DigitsCnnModel model = new DigitsCnnModel(3);
        assertArrayEquals(new int[] {8, 8, 1}, model.inputShape());
        assertEquals("[conv.weight (16, 1, 3, 3), conv.bias (16)]", model.conv.tensors().toString());
        assertEquals("MaxPooling2D", model.pool.kind());
        Trainer trainer = new Trainer(model, new Adam(3e-3));
        History history = trainer.fit(split.train(), new FitOptions().epochs(30).batchSize(32).seed(1).quiet());
        Evaluation test = trainer.evaluate(split.validation());
        assertTrue(history.last().loss() < history.epochs().get(0).loss() / 3, "the training loss fell: " + history.last().loss());
        assertTrue(test.accuracy() >= 0.95, "test accuracy " + test.accuracy());
        System.out.printf(java.util.Locale.ROOT, "DigitsCnn: test accuracy %.2f%% after 30 epochs%n", 100 * test.accuracy());
    }

    /** CNN replicas share weights but not buffers: two threads give the weights one thread gives, for the same shards. */
    @Test
    void digitsCnnTrainsTheSameOnTwoThreads() throws IOException {
        Dataset all;
        try (InputStream in = ExamplesTest.class.getResourceAsStream("/digits.csv.gz")) {
            all = Scaling.divide(Digits.load(in, "digits.csv.gz", ImageLayout.CHANNELS_LAST), Digits.MAX_PIXEL);
        }
        float[][] weights = new float[2][];
        for (int threads = 1; threads <= 2; threads++) {
            DigitsCnnModel model = new DigitsCnnModel(5);
            new Trainer(model, new Adam(3e-3)).fit(all, new FitOptions().epochs(2).batchSize(64).seed(2).shards(2).threads(threads).quiet());
            weights[threads - 1] = model.parameters().values().clone();
        }
        assertArrayEquals(weights[0], weights[1]);
    }

    private static void writeIdx(Path dir, String prefix, int count) throws IOException {
        try (DataOutputStream images = new DataOutputStream(Files.newOutputStream(dir.resolve(prefix + "-images-idx3-ubyte")));
                DataOutputStream labels = new DataOutputStream(Files.newOutputStream(dir.resolve(prefix + "-labels-idx1-ubyte")))) {
            images.writeInt(0x803);
            images.writeInt(count);
            images.writeInt(28);
            images.writeInt(28);
            labels.writeInt(0x801);
            labels.writeInt(count);
            for (int i = 0; i < count; i++) {
                int label = i % 10;
                labels.writeByte(label);
                for (int p = 0; p < 784; p++) {
                    int row = p / 28;
                    images.writeByte(row == label * 2 ? 255 : (p * 31 + i * 7) % 40);
                }
            }
        }
    }
}
