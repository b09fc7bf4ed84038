package dev.kiln.processor.model;

import dev.kiln.annotations.Activation;
import java.util.List;
import java.util.Optional;

/**
 * {@code y = activation(conv(x, W) + b)} over a channels-last input {@code (H, W, C)}, with the
 * weight in PyTorch's layout {@code (filters, C, kernel height, kernel width)}.
 */
public record Conv2DLayer(
        String name,
        Shape input,
        Shape output,
        Window window,
        int filters,
        Activation activation,
        float negativeSlope,
        Tensor weight,
        Optional<Tensor> bias) implements LayerModel {

    @Override
    public String kind() {
        return "Conv2D";
    }

    /** The number of input channels. */
    public int channels() {
        return input.dims().get(2);
    }

    /** The number of weights one output element sums over: channels x kernel height x kernel width. */
    public int fanIn() {
        return channels() * window.height() * window.width();
    }

    @Override
    public List<Tensor> tensors() {
        return bias.map(b -> List.of(weight, b)).orElse(List.of(weight));
    }
}
