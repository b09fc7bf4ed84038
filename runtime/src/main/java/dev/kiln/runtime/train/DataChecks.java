package dev.kiln.runtime.train;

import dev.kiln.runtime.Model;
import dev.kiln.runtime.data.Dataset;

/**
 * Checks a data set against a model before anything is computed with it, so that a bad sample
 * fails at once, named by its index in the data set, rather than when its shuffled batch comes up
 * after updates: every feature finite, and every target what the model's loss takes.
 */
final class DataChecks {
    private DataChecks() {
    }

    /** Every feature of {@code data} is finite; {@code role} names the data in the message ({@code training}). */
    static void features(Dataset data, String role) {
        float[] x = data.features();
        int n = data.featureSize();
        for (int i = 0; i < x.length; i++) {
            if (!Float.isFinite(x[i])) {
                throw new IllegalArgumentException("the " + role + " data's sample " + i / n + " has feature " + i % n + " = " + x[i]
                        + "; every feature must be a finite number: fill or drop missing values first");
            }
        }
    }

    /**
     * Every target of {@code data} is one the model's loss takes: a class index from 0 to classes - 1
     * for sparse cross-entropy, a value in [0, 1] for binary cross-entropy, a finite value >= 0 for
     * softmax cross-entropy (a probability row), a finite value for MSE.
     */
    static void targets(Model model, Dataset data, String role) {
        float[] t = data.targets();
        int size = data.targetSize();
        int classes = model.outputSize();
        for (int i = 0; i < t.length; i++) {
            float v = t[i];
            String problem = switch (model.loss()) {
                case SPARSE_SOFTMAX_CROSS_ENTROPY -> v == Math.rint(v) && v >= 0 && v < classes ? null
                        : "but " + model.name() + " has classes 0 to " + (classes - 1) + " and sparse cross-entropy takes each sample's class index";
                case BINARY_CROSS_ENTROPY -> v >= 0 && v <= 1 ? null : "but binary cross-entropy takes targets from 0 to 1";
                case SOFTMAX_CROSS_ENTROPY -> v >= 0 && Float.isFinite(v) ? null
                        : "but softmax cross-entropy takes a row of class probabilities (finite, >= 0) per sample";
                case MSE -> Float.isFinite(v) ? null : "but the targets of a mean squared error must be finite";
            };
            if (problem != null) {
                String which = size == 1 ? "" : " " + i % size;
                throw new IllegalArgumentException("the " + role + " data's sample " + i / size + " has target" + which + " = " + v + ", " + problem);
            }
        }
    }
}
