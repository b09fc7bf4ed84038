package dev.kiln.benchmarks;

import dev.kiln.runtime.Kernels;
import dev.kiln.runtime.Model;
import dev.kiln.runtime.Parameters;
import dev.kiln.runtime.io.SafeTensors;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/** Builds the Kiln W1 and W3 models with the anchors' weights and checks them against PyTorch's output. */
final class AnchorModels {
    /** What benchmarks/py/export_w3_weights.py writes beside the anchors' files. */
    static final String W3_WEIGHTS = "w3_cnn_kiln.safetensors";

    private AnchorModels() {
    }

    /**
     * A W1 model with the anchors' PyTorch weights, checked against the anchors' probabilities on
     * 64 images through both predict paths; with seeded random weights if the files are absent.
     *
     * @throws IllegalStateException if the anchors are present and Kiln's output differs by more
     *     than {@link Anchors#TOLERANCE}
     */
    static W1MlpModel w1() {
        W1MlpModel model = new W1MlpModel(0L);
        if (!Anchors.haveW1Weights()) {
            Anchors.log("W1: no anchor weights in " + Anchors.dir() + "; using seeded random weights (run shared/anchors/setup.sh"
                    + " for the PyTorch weights and the output check)");
            return model;
        }
        Parameters p = model.parameters();
        p.set("fc1.weight", Anchors.readFloats("w1_fc1_weight.bin", 128 * 784));
        p.set("fc1.bias", Anchors.readFloats("w1_fc1_bias.bin", 128));
        p.set("fc2.weight", Anchors.readFloats("w1_fc2_weight.bin", 10 * 128));
        p.set("fc2.bias", Anchors.readFloats("w1_fc2_bias.bin", 10));
        check(model, "w1", "anchor weights from " + Anchors.dir());
        return model;
    }

    /**
     * A W3 model with the anchors' PyTorch weights (the safetensors file export_w3_weights.py makes
     * of {@code w3_cnn.pt}), checked as {@link #w1()} is; with seeded random weights if it is absent.
     */
    static W3CnnModel w3() {
        W3CnnModel model = new W3CnnModel(0L);
        Path weights = Anchors.file(W3_WEIGHTS);
        if (!Files.isRegularFile(weights) || !Files.isRegularFile(Anchors.file("w3_probs64.bin"))) {
            Anchors.log("W3: no " + weights + " or w3_probs64.bin; using seeded random weights (benchmarks/compare.sh writes"
                    + " the file with benchmarks/py/export_w3_weights.py)");
            return model;
        }
        try {
            SafeTensors.load(model, weights);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        check(model, "w3", "anchor weights from " + weights);
        return model;
    }

    /** Compares both predict paths on the anchors' 64 images with PyTorch's probabilities. */
    private static void check(Model model, String workload, String source) {
        float[] inputs = Anchors.readFloats(workload + "_input64.bin", Anchors.SAMPLES * Anchors.INPUT);
        float[] expected = Anchors.readFloats(workload + "_probs64.bin", Anchors.SAMPLES * Anchors.CLASSES);
        float[] single = new float[Anchors.INPUT];
        float[] out = new float[Anchors.CLASSES];
        float sampleDiff = 0f;
        for (int s = 0; s < Anchors.SAMPLES; s++) {
            System.arraycopy(inputs, s * Anchors.INPUT, single, 0, Anchors.INPUT);
            model.predict(single, out);
            sampleDiff = Math.max(sampleDiff, Anchors.maxAbsDiff(out, 0, expected, s * Anchors.CLASSES, Anchors.CLASSES));
        }
        float[] batchOut = new float[Anchors.SAMPLES * Anchors.CLASSES];
        model.predict(inputs, Anchors.SAMPLES, batchOut);
        float batchDiff = Anchors.maxAbsDiff(batchOut, 0, expected, 0, batchOut.length);
        String summary = String.format("%s: %s, kernels %s; max |Kiln - PyTorch| over 64x10 probabilities:"
                + " %.3g (predict one by one), %.3g (predict batch 64), tolerance %.0e",
                workload.toUpperCase(Locale.ROOT), source, Kernels.preferred(), sampleDiff, batchDiff, Anchors.TOLERANCE);
        if (!(sampleDiff <= Anchors.TOLERANCE && batchDiff <= Anchors.TOLERANCE)) {
            throw new IllegalStateException(summary + ": Kiln's output does not match PyTorch's");
        }
        Anchors.log(summary);
    }
}
