package dev.kiln.processor.model;

import java.util.List;

/**
 * One parameter tensor: its PyTorch name ({@code hidden.weight}), the name of its offset constant
 * in the generated class ({@code HIDDEN_WEIGHT}), its offset in the flat vector and its shape.
 */
public record Tensor(String name, String constant, int offset, List<Integer> shape) {
    public Tensor {
        shape = List.copyOf(shape);
    }

    public int size() {
        return shape.stream().reduce(1, Math::multiplyExact);
    }
}
