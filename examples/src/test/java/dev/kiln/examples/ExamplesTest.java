package dev.kiln.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.runtime.train.Evaluation;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
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
