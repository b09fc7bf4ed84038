package dev.kiln.processor.model;

import dev.kiln.annotations.Activation;
import java.util.List;

/** Max or average pooling of each channel of a channels-last input {@code (H, W, C)}. */
public record Pooling2DLayer(String name, Op op, Shape input, Shape output, Window window) implements LayerModel {

    /** What a window computes. */
    public enum Op {
        MAX("MaxPooling2D"),
        AVERAGE("AveragePooling2D");

        private final String kind;

        Op(String kind) {
            this.kind = kind;
        }
    }

    @Override
    public String kind() {
        return op.kind;
    }

    public int channels() {
        return input.dims().get(2);
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
