package dev.kiln.benchmarks;

import dev.kiln.runtime.Kernels;
import dev.kiln.runtime.Parameters;

/** Builds the Kiln W1 model with the anchors' weights and checks it against PyTorch's output. */
final class W1Models {
    private W1Models() {
    }

    /**
     * A W1 model with the anchors' PyTorch weights, checked against the anchors' probabilities on
     * 64 images through both predict paths; with seeded random weights if the files are absent.
     *
     * @throws IllegalStateException if the anchors are present and Kiln's output differs by more
     *     than {@link Anchors#TOLERANCE}
     */
    static W1MlpModel loadChecked() {
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
        float[] inputs = Anchors.readFloats("w1_input64.bin", Anchors.SAMPLES * Anchors.INPUT);
        float[] expected = Anchors.readFloats("w1_probs64.bin", Anchors.SAMPLES * Anchors.CLASSES);

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
        String summary = String.format("W1: anchor weights from %s, kernels %s; max |Kiln - PyTorch| over 64x10 probabilities:"
                + " %.3g (predict one by one), %.3g (predict batch 64), tolerance %.0e",
                Anchors.dir(), Kernels.preferred(), sampleDiff, batchDiff, Anchors.TOLERANCE);
        if (!(sampleDiff <= Anchors.TOLERANCE && batchDiff <= Anchors.TOLERANCE)) {
            throw new IllegalStateException(summary + ": Kiln's output does not match PyTorch's");
        }
        Anchors.log(summary);
        return model;
    }
}
