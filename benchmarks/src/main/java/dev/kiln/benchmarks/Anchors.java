package dev.kiln.benchmarks;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;

/**
 * The anchors' exported files (shared/anchors/py/export_models.py): for W1 raw little-endian float32
 * weights in PyTorch's (out, in) layout; for W1 and W3 64 Fashion-MNIST test images, PyTorch's
 * probabilities for them and the ONNX model; for W3 the weights as Kiln reads them
 * ({@code w3_cnn_kiln.safetensors}, written by benchmarks/py/export_w3_weights.py). The directory
 * is {@code $ANCHOR_MODELS}, as for the Python scripts, else {@code /tmp/anchors_models}.
 */
final class Anchors {
    static final int INPUT = 784;
    static final int CLASSES = 10;
    static final int SAMPLES = 64;
    /** The largest difference allowed between Kiln's and PyTorch's probabilities. */
    static final float TOLERANCE = 1e-5f;

    private Anchors() {
    }

    static Path dir() {
        String env = System.getenv("ANCHOR_MODELS");
        return Path.of(env == null || env.isBlank() ? "/tmp/anchors_models" : env);
    }

    static Path file(String name) {
        return dir().resolve(name);
    }

    /** Whether the W1 weights, inputs and reference outputs are all there. */
    static boolean haveW1Weights() {
        for (String name : new String[] {"w1_fc1_weight.bin", "w1_fc1_bias.bin", "w1_fc2_weight.bin", "w1_fc2_bias.bin",
                "w1_input64.bin", "w1_probs64.bin"}) {
            if (!Files.isRegularFile(file(name))) {
                return false;
            }
        }
        return true;
    }

    static float[] readFloats(String name, int expected) {
        Path path = file(name);
        try {
            byte[] bytes = Files.readAllBytes(path);
            if (bytes.length != expected * 4) {
                throw new IllegalStateException(path + " holds " + bytes.length + " bytes, expected " + expected + " float32 values");
            }
            float[] values = new float[expected];
            ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(values);
            return values;
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + path, e);
        }
    }

    /**
     * The anchors' 64 test images for a workload ({@code w1} or {@code w3}: the same 64 x 784 pixels
     * / 255, flat or as (1, 28, 28)), or seeded random pixels in [0, 1) without the file.
     */
    static float[] inputs64(String workload) {
        String name = workload + "_input64.bin";
        if (Files.isRegularFile(file(name))) {
            return readFloats(name, SAMPLES * INPUT);
        }
        return uniform(SAMPLES * INPUT, 64);
    }

    static float[] uniform(int n, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        float[] values = new float[n];
        for (int i = 0; i < n; i++) {
            values[i] = (float) random.nextDouble();
        }
        return values;
    }

    static float maxAbsDiff(float[] a, int aOffset, float[] b, int bOffset, int n) {
        float max = 0f;
        for (int i = 0; i < n; i++) {
            max = Math.max(max, Math.abs(a[aOffset + i] - b[bOffset + i]));
        }
        return max;
    }

    /** One line on stderr, which JMH shows in its log and compare.sh collects. */
    static void log(String message) {
        System.err.println("[kiln-bench] " + message);
    }
}
