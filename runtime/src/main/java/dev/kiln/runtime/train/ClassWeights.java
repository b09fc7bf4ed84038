package dev.kiln.runtime.train;

import dev.kiln.annotations.Loss;
import dev.kiln.runtime.Model;
import dev.kiln.runtime.data.Dataset;
import dev.kiln.runtime.metrics.Predictions;
import java.util.Arrays;
import java.util.Map;

/** Turns class weights into one weight per sample, once per fit. */
final class ClassWeights {
    private ClassWeights() {
    }

    /**
     * The weight of each sample's class (1 for classes without a weight). See
     * {@link FitOptions#classWeights} for how a sample's class is read from its target.
     */
    static float[] perSample(Model model, Dataset data, Map<Integer, Double> weights) {
        int classes = switch (model.loss()) {
            case SPARSE_SOFTMAX_CROSS_ENTROPY, SOFTMAX_CROSS_ENTROPY -> model.outputSize();
            case BINARY_CROSS_ENTROPY -> {
                if (model.outputSize() != 1) {
                    throw new IllegalArgumentException("class weights need one class per sample, but " + model.name()
                            + " makes " + model.outputSize() + " independent binary predictions; weight the samples instead");
                }
                yield 2;
            }
            case MSE -> throw new IllegalArgumentException("class weights need a classifier, but " + model.name() + " is trained with "
                    + Loss.MSE);
        };
        float[] byClass = new float[classes];
        Arrays.fill(byClass, 1f);
        weights.forEach((c, w) -> {
            if (c == null || c < 0 || c >= classes) {
                throw new IllegalArgumentException("class weight for class " + c + ", but " + model.name() + " has classes 0 to "
                        + (classes - 1));
            }
            if (w == null || !(w >= 0) || Double.isInfinite(w)) {
                throw new IllegalArgumentException("the weight of class " + c + " must be finite and >= 0 but is " + w);
            }
            byClass[c] = w.floatValue();
        });
        float[] targets = data.targets();
        int size = data.targetSize();
        float[] perSample = new float[data.size()];
        for (int i = 0; i < perSample.length; i++) {
            int c = switch (model.loss()) {
                case SPARSE_SOFTMAX_CROSS_ENTROPY -> Predictions.targetClass(targets, i, classes);
                case SOFTMAX_CROSS_ENTROPY -> Predictions.argmax(targets, i * size, size);
                default -> targets[i] >= 0.5f ? 1 : 0;
            };
            perSample[i] = byClass[c];
        }
        return perSample;
    }
}
