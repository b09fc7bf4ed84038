package dev.kiln.runtime.train;

import dev.kiln.annotations.Loss;
import dev.kiln.runtime.Model;
import dev.kiln.runtime.metrics.Predictions;

/**
 * Counts the correct predictions in a batch of outputs, by the rule the model's loss implies:
 *
 * <ul>
 *   <li>sparse softmax cross-entropy: the argmax of the outputs equals the class index;
 *   <li>softmax cross-entropy: the argmax of the outputs equals the argmax of the target row;
 *   <li>binary cross-entropy: each output above the threshold predicts 1, and is correct when the
 *       target is at least 0.5 (several outputs are as many independent predictions, as Keras'
 *       {@code binary_accuracy});
 *   <li>MSE: no accuracy.
 * </ul>
 */
final class BatchAccuracy {
    private final Loss loss;
    private final int outputs;
    private final int targetSize;
    private final float threshold;

    BatchAccuracy(Model model, float threshold) {
        this.loss = model.loss();
        this.outputs = model.outputSize();
        this.targetSize = model.targetSize();
        this.threshold = threshold;
    }

    /** Whether accuracy means something for this loss. */
    boolean defined() {
        return loss != Loss.MSE;
    }

    /** The number of predictions one sample makes: its outputs for binary cross-entropy, else 1. */
    int predictionsPerSample() {
        return loss == Loss.BINARY_CROSS_ENTROPY ? outputs : 1;
    }

    /**
     * The number of correct predictions.
     *
     * @param out {@code (batch, outputs)} from offset 0
     * @param targets the batch's targets from {@code offset}
     */
    int correct(float[] out, float[] targets, int offset, int batch) {
        int correct = 0;
        switch (loss) {
            case SPARSE_SOFTMAX_CROSS_ENTROPY -> {
                for (int r = 0; r < batch; r++) {
                    correct += Predictions.argmax(out, r * outputs, outputs) == targets[offset + r] ? 1 : 0;
                }
            }
            case SOFTMAX_CROSS_ENTROPY -> {
                for (int r = 0; r < batch; r++) {
                    int predicted = Predictions.argmax(out, r * outputs, outputs);
                    correct += predicted == Predictions.argmax(targets, offset + r * targetSize, targetSize) ? 1 : 0;
                }
            }
            case BINARY_CROSS_ENTROPY -> {
                for (int i = 0; i < batch * outputs; i++) {
                    correct += (out[i] > threshold) == (targets[offset + i] >= 0.5f) ? 1 : 0;
                }
            }
            case MSE -> {
            }
        }
        return correct;
    }
}
