package dev.kiln.processor.model;

import dev.kiln.annotations.Activation;
import java.util.List;

/**
 * Flattens each sample: {@code (H, W, C)} becomes {@code (H * W * C)} in the same (row-major,
 * channels-last) order, so the layer only renames its input.
 */
public record FlattenLayer(String name, Shape input) implements LayerModel {

    @Override
    public String kind() {
        return "Flatten";
    }

    @Override
    public Shape output() {
        return Shape.of(input.size());
    }

    @Override
    public Activation activation() {
        return Activation.LINEAR;
    }

    @Override
    public float negativeSlope() {
        return 0f;
    }

    @Override
    public List<Tensor> tensors() {
        return List.of();
    }
}
