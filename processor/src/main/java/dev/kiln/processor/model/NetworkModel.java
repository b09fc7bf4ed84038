package dev.kiln.processor.model;

import dev.kiln.annotations.Activation;
import dev.kiln.annotations.Loss;
import java.util.List;

/**
 * A validated network, everything the writer needs: names, the input shape, the layers in order
 * with their shapes and parameter offsets, and the loss.
 *
 * @param packageName the package of the declaring class
 * @param declaringName the declaring class's name as written in that package ({@code Outer.Mlp})
 * @param declaringQualifiedName the declaring class's canonical name
 * @param generatedName the simple name of the generated class
 */
public record NetworkModel(
        String packageName,
        String declaringName,
        String declaringQualifiedName,
        String generatedName,
        Shape input,
        Loss loss,
        List<LayerModel> layers) {

    public NetworkModel {
        layers = List.copyOf(layers);
    }

    public LayerModel last() {
        return layers.get(layers.size() - 1);
    }

    public Shape output() {
        return last().output();
    }

    public int parameterCount() {
        return layers.stream().mapToInt(LayerModel::parameterCount).sum();
    }

    /**
     * Whether the loss takes the last layer's pre-activation values (logits) and gives the gradient
     * with respect to them, fusing the last sigmoid or softmax.
     */
    public boolean lossTakesLogits() {
        return loss != Loss.MSE;
    }

    /** Whether the last layer's logits need a buffer of their own beside its activated output. */
    public boolean keepsLogits() {
        return lossTakesLogits() && last().activation() != Activation.LINEAR;
    }

    /** The number of floats in one sample's target. */
    public int targetSize() {
        return loss == Loss.SPARSE_SOFTMAX_CROSS_ENTROPY ? 1 : output().size();
    }
}
