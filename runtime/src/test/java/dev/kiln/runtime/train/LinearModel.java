package dev.kiln.runtime.train;

import dev.kiln.annotations.Loss;
import dev.kiln.runtime.Model;
import dev.kiln.runtime.ParameterTensor;
import dev.kiln.runtime.Parameters;
import dev.kiln.runtime.SeededRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;

/**
 * A hand-written {@link Model} for the training loop's tests: one linear layer {@code z = x W^T + b}
 * trained with sparse softmax cross-entropy (a softmax classifier), binary cross-entropy on one
 * logit (logistic regression) or MSE (linear regression). Test hooks make the loss NaN at a
 * chosen call and record the weights each forward pass saw and the sample weights each loss got;
 * for data-parallel training, a model lists its replicas and can configure each as it is made, and
 * can run a hook at the start of every forward pass (on whichever thread runs it).
 */
final class LinearModel implements Model {
    private final int inputs;
    private final int outputs;
    private final Loss loss;
    private final Parameters parameters;
    private float[] logits = new float[0]; // (B, outputs)
    private float[] dLogits = new float[0]; // (B, outputs)
    private float[] dInputs = new float[0]; // (B, inputs)
    private float[] x;
    private int xOffset;
    private int rows;
    private int lossCalls;
    int nanAtLossCall; // 1-based; 0 never
    boolean recording;
    final List<float[]> weightsAtForward = new ArrayList<>();
    final List<float[]> sampleWeightsAtLoss = new ArrayList<>();
    final List<int[]> rowsAtForward = new ArrayList<>(); // {first row, rows} of each forward
    final List<LinearModel> replicas = new ArrayList<>();
    Consumer<LinearModel> onReplica; // configures each new replica
    Runnable onForward; // runs at the start of every forward

    LinearModel(int inputs, int outputs, Loss loss, long seed) {
        this(inputs, outputs, loss, new Parameters(List.of(new ParameterTensor("dense.weight", 0, outputs, inputs),
                new ParameterTensor("dense.bias", outputs * inputs, outputs))));
        SeededRandom random = new SeededRandom(seed);
        for (int i = 0; i < outputs * inputs; i++) {
            parameters.values()[i] = (2 * random.nextFloat() - 1) * 0.5f;
        }
    }

    private LinearModel(int inputs, int outputs, Loss loss, Parameters parameters) {
        this.inputs = inputs;
        this.outputs = outputs;
        this.loss = loss;
        this.parameters = parameters;
    }

    @Override
    public LinearModel replica() {
        LinearModel replica = new LinearModel(inputs, outputs, loss, parameters.sharingValues());
        replicas.add(replica);
        if (onReplica != null) {
            onReplica.accept(replica);
        }
        return replica;
    }

    @Override
    public String name() {
        return "LinearModel";
    }

    @Override
    public int[] inputShape() {
        return new int[] {inputs};
    }

    @Override
    public int inputSize() {
        return inputs;
    }

    @Override
    public int outputSize() {
        return outputs;
    }

    @Override
    public Loss loss() {
        return loss;
    }

    @Override
    public int targetSize() {
        return loss == Loss.SPARSE_SOFTMAX_CROSS_ENTROPY ? 1 : outputs;
    }

    @Override
    public Parameters parameters() {
        return parameters;
    }

    @Override
    public void predict(float[] input, float[] output) {
        linear(input, 0, 1, output);
    }

    @Override
    public void predict(float[] inputs, int batch, float[] outputs) {
        linear(inputs, 0, batch, outputs);
    }

    private void linear(float[] in, int offset, int batch, float[] out) {
        float[] w = parameters.values();
        int bias = outputs * inputs;
        for (int r = 0; r < batch; r++) {
            for (int j = 0; j < outputs; j++) {
                float z = w[bias + j];
                for (int i = 0; i < inputs; i++) {
                    z += w[j * inputs + i] * in[offset + r * inputs + i];
                }
                out[r * outputs + j] = z;
            }
        }
    }

    @Override
    public float[] forward(float[] inputs, int offset, int batch) {
        if (logits.length < batch * outputs) {
            logits = new float[batch * outputs];
            dLogits = new float[batch * outputs];
            dInputs = new float[batch * this.inputs];
        }
        if (onForward != null) {
            onForward.run();
        }
        if (recording) {
            weightsAtForward.add(parameters.values().clone());
            rowsAtForward.add(new int[] {offset / this.inputs, batch});
        }
        x = inputs;
        xOffset = offset;
        rows = batch;
        linear(inputs, offset, batch, logits);
        return logits;
    }

    @Override
    public float loss(float[] targets, int offset, float[] sampleWeights) {
        if (recording) {
            sampleWeightsAtLoss.add(sampleWeights == null ? null : sampleWeights.clone());
        }
        double total = 0;
        for (int r = 0; r < rows; r++) {
            float weight = sampleWeights == null ? 1f : sampleWeights[r];
            int row = r * outputs;
            switch (loss) {
                case SPARSE_SOFTMAX_CROSS_ENTROPY -> {
                    int label = (int) targets[offset + r];
                    float max = logits[row];
                    for (int j = 1; j < outputs; j++) {
                        max = Math.max(max, logits[row + j]);
                    }
                    double sum = 0;
                    for (int j = 0; j < outputs; j++) {
                        sum += Math.exp(logits[row + j] - max);
                    }
                    double logSum = max + Math.log(sum);
                    total += weight * (logSum - logits[row + label]);
                    for (int j = 0; j < outputs; j++) {
                        double p = Math.exp(logits[row + j] - logSum);
                        dLogits[row + j] = (float) (weight * (p - (j == label ? 1 : 0)) / rows);
                    }
                }
                case BINARY_CROSS_ENTROPY -> {
                    for (int j = 0; j < outputs; j++) {
                        float z = logits[row + j];
                        float t = targets[offset + row + j];
                        total += weight * (Math.max(z, 0) - z * t + Math.log1p(Math.exp(-Math.abs(z))));
                        double sigmoid = 1 / (1 + Math.exp(-z));
                        dLogits[row + j] = (float) (weight * (sigmoid - t) / (rows * outputs));
                    }
                }
                case MSE -> {
                    for (int j = 0; j < outputs; j++) {
                        float diff = logits[row + j] - targets[offset + row + j];
                        total += weight * diff * diff;
                        dLogits[row + j] = 2 * weight * diff / (rows * outputs);
                    }
                }
                default -> throw new UnsupportedOperationException(loss.toString());
            }
        }
        lossCalls++;
        if (lossCalls == nanAtLossCall) {
            return Float.NaN;
        }
        return (float) (total / (loss == Loss.SPARSE_SOFTMAX_CROSS_ENTROPY ? rows : (double) rows * outputs));
    }

    @Override
    public float[] backward() {
        backwardParameters();
        return inputGradient(dLogits, 0);
    }

    @Override
    public float[] backward(float[] outputGradient, int offset) {
        System.arraycopy(outputGradient, offset, dLogits, 0, rows * outputs);
        return backward();
    }

    @Override
    public void backwardParameters() {
        float[] dw = parameters.gradients();
        int bias = outputs * inputs;
        for (int r = 0; r < rows; r++) {
            for (int j = 0; j < outputs; j++) {
                float d = dLogits[r * outputs + j];
                for (int i = 0; i < inputs; i++) {
                    dw[j * inputs + i] += d * x[xOffset + r * inputs + i];
                }
                dw[bias + j] += d;
            }
        }
    }

    private float[] inputGradient(float[] d, int offset) {
        float[] w = parameters.values();
        for (int r = 0; r < rows; r++) {
            for (int i = 0; i < inputs; i++) {
                float sum = 0;
                for (int j = 0; j < outputs; j++) {
                    sum += d[offset + r * outputs + j] * w[j * inputs + i];
                }
                dInputs[r * inputs + i] = sum;
            }
        }
        return dInputs;
    }

    @Override
    public void zeroGrad() {
        Arrays.fill(parameters.gradients(), 0f);
    }

    private final dev.kiln.runtime.UseGuard guard = new dev.kiln.runtime.UseGuard(getClass().getSimpleName());

    @Override
    public dev.kiln.runtime.UseGuard.Claim claim() {
        return guard.claim();
    }

    @Override
    public String summary() {
        return getClass().getSimpleName() + "\n";
    }
}
