package dev.kiln.processor.model;

import dev.kiln.annotations.Activation;
import java.util.List;
import java.util.Optional;

/** {@code y = activation(x W^T + b)} with {@code W} of shape {@code (out, in)}. */
public record DenseLayer(
        String name,
        int in,
        int out,
        Activation activation,
        float negativeSlope,
        Tensor weight,
        Optional<Tensor> bias) implements LayerModel {

    /** This layer reading a flattened {@code image}: its weight's columns in PyTorch's order of that image. */
    public DenseLayer overFlattenedImage(Shape image) {
        return new DenseLayer(name, in, out, activation, negativeSlope, weight.withFlattenedImage(image), bias);
    }

    @Override
    public String kind() {
        return "Dense";
    }

    @Override
    public Shape input() {
        return Shape.of(in);
    }

    @Override
    public Shape output() {
        return Shape.of(out);
    }

    @Override
    public List<Tensor> tensors() {
        return bias.map(b -> List.of(weight, b)).orElse(List.of(weight));
    }
}
