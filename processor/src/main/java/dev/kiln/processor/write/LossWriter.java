package dev.kiln.processor.write;

import com.palantir.javapoet.CodeBlock;
import dev.kiln.annotations.Loss;
import dev.kiln.processor.model.NetworkModel;

/**
 * The body of {@code loss(targets, offset, sampleWeights)}: the mean loss of the batch and its
 * gradient, written into the last layer's gradient buffer. The cross-entropies work on the logits
 * with log-sum-exp, so large logits neither overflow nor lose precision.
 */
final class LossWriter {
    private final NetworkModel model;
    private final int classes;
    private final String scores;
    private final String gradient;

    /**
     * @param scores the buffer the loss reads: the logits for cross-entropy, the outputs for MSE
     * @param gradient the buffer that receives the gradient
     */
    LossWriter(NetworkModel model, String scores, String gradient) {
        this.model = model;
        this.classes = model.output().size();
        this.scores = scores;
        this.gradient = gradient;
    }

    CodeBlock body() {
        CodeBlock.Builder code = CodeBlock.builder();
        code.addStatement("requireStage(FORWARD_DONE, $S)", "loss(...) needs forward(...) first");
        code.addStatement("int b = rows");
        code.addStatement("checkRange($S, targets, offset, b * $L)", "targets", model.targetSize());
        code.beginControlFlow("if (sampleWeights != null && sampleWeights.length < b)");
        code.addStatement("throw new $T($S + b + $S + sampleWeights.length)", IllegalArgumentException.class,
                "sampleWeights needs one weight for each of the ", " samples but has ");
        code.endControlFlow();
        code.addStatement("double total = 0");
        code.beginControlFlow("for (int r = 0; r < b; r++)");
        code.addStatement("float weight = sampleWeights == null ? 1f : sampleWeights[r]");
        code.addStatement("int row = r * $L", classes);
        switch (model.loss()) {
            case MSE -> mse(code);
            case BINARY_CROSS_ENTROPY -> binaryCrossEntropy(code);
            case SOFTMAX_CROSS_ENTROPY -> softmaxCrossEntropy(code);
            case SPARSE_SOFTMAX_CROSS_ENTROPY -> sparseSoftmaxCrossEntropy(code);
        }
        code.endControlFlow();
        code.addStatement("stage = LOSS_DONE");
        code.addStatement("return (float) (total / $L)", model.loss() == Loss.MSE || model.loss() == Loss.BINARY_CROSS_ENTROPY
                ? CodeBlock.of("(b * $L)", classes) : CodeBlock.of("b"));
        return code.build();
    }

    /** The javadoc line that says what the loss computes. */
    String summary() {
        return switch (model.loss()) {
            case MSE -> "Mean squared error over all " + classes + " outputs of every sample.";
            case BINARY_CROSS_ENTROPY -> "Binary cross-entropy on the logits (sigmoid fused), averaged over all " + classes
                    + " outputs of every sample.";
            case SOFTMAX_CROSS_ENTROPY -> "Softmax cross-entropy on the logits against a probability row per sample, averaged over the batch.";
            case SPARSE_SOFTMAX_CROSS_ENTROPY -> "Softmax cross-entropy on the logits against a class index (0 to " + (classes - 1)
                    + ") per sample, averaged over the batch.";
        };
    }

    // loss += (y - t)^2; dy = 2 (y - t) / (B * classes)
    private void mse(CodeBlock.Builder code) {
        code.addStatement("float scale = 2f * weight / (b * $L)", classes);
        code.beginControlFlow("for (int j = 0; j < $L; j++)", classes);
        code.addStatement("float diff = $N[row + j] - targets[offset + row + j]", scores);
        code.addStatement("total += weight * diff * diff");
        code.addStatement("$N[row + j] = scale * diff", gradient);
        code.endControlFlow();
    }

    // loss += max(z, 0) - z t + log(1 + exp(-|z|)); dz = (sigmoid(z) - t) / (B * classes)
    private void binaryCrossEntropy(CodeBlock.Builder code) {
        code.addStatement("float scale = weight / (b * $L)", classes);
        code.beginControlFlow("for (int j = 0; j < $L; j++)", classes);
        code.addStatement("float z = $N[row + j]", scores);
        code.addStatement("float t = targets[offset + row + j]");
        code.addStatement("total += weight * (Math.max(z, 0f) - z * t + Math.log1p(Math.exp(-Math.abs(z))))");
        code.addStatement("float e = (float) Math.exp(-Math.abs(z))");
        code.addStatement("float sigmoid = z >= 0f ? 1f / (1f + e) : e / (1f + e)");
        code.addStatement("$N[row + j] = scale * (sigmoid - t)", gradient);
        code.endControlFlow();
    }

    // logSum = log(sum(exp(z))) computed as max + log(sum(exp(z - max)))
    private void logSumExp(CodeBlock.Builder code) {
        code.addStatement("float max = $N[row]", scores);
        code.beginControlFlow("for (int j = 1; j < $L; j++)", classes);
        code.addStatement("max = Math.max(max, $N[row + j])", scores);
        code.endControlFlow();
        code.addStatement("float sum = 0f");
        code.beginControlFlow("for (int j = 0; j < $L; j++)", classes);
        code.addStatement("sum += (float) Math.exp($N[row + j] - max)", scores);
        code.endControlFlow();
        code.addStatement("float logSum = max + (float) Math.log(sum)");
        code.addStatement("float scale = weight / b");
    }

    // loss += sum_j t_j (logSum - z_j); dz_j = (softmax_j * sum(t) - t_j) / B
    private void softmaxCrossEntropy(CodeBlock.Builder code) {
        logSumExp(code);
        code.addStatement("float targetSum = 0f");
        code.beginControlFlow("for (int j = 0; j < $L; j++)", classes);
        code.addStatement("float t = targets[offset + row + j]");
        code.addStatement("total += weight * t * (logSum - $N[row + j])", scores);
        code.addStatement("targetSum += t");
        code.endControlFlow();
        code.beginControlFlow("for (int j = 0; j < $L; j++)", classes);
        code.addStatement("float p = (float) Math.exp($N[row + j] - logSum)", scores);
        code.addStatement("$N[row + j] = scale * (p * targetSum - targets[offset + row + j])", gradient);
        code.endControlFlow();
    }

    // loss += logSum - z_label; dz_j = (softmax_j - [j == label]) / B
    private void sparseSoftmaxCrossEntropy(CodeBlock.Builder code) {
        code.addStatement("float target = targets[offset + r]");
        code.addStatement("int label = (int) target");
        code.beginControlFlow("if (label != target || label < 0 || label >= $L)", classes);
        code.addStatement("throw new $T($S + r + $S + target + $S)", IllegalArgumentException.class,
                "target ", " is ", ", but " + model.declaringName() + " has classes 0 to " + (classes - 1)
                        + ": sparse cross-entropy takes the class index of each sample");
        code.endControlFlow();
        logSumExp(code);
        code.addStatement("total += weight * (logSum - $N[row + label])", scores);
        code.beginControlFlow("for (int j = 0; j < $L; j++)", classes);
        code.addStatement("$N[row + j] = scale * (float) Math.exp($N[row + j] - logSum)", gradient, scores);
        code.endControlFlow();
        code.addStatement("$N[row + label] -= scale", gradient);
    }
}
