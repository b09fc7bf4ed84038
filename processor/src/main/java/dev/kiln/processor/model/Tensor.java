package dev.kiln.processor.model;

import java.util.List;

/**
 * One parameter tensor: its PyTorch name ({@code hidden.weight}), the name of its offset constant
 * in the generated class ({@code HIDDEN_WEIGHT}), its offset in the flat vector, its PyTorch shape,
 * and whether the generated code stores it transposed (a 2-D tensor kept as {@code (in, out)}).
 */
public record Tensor(String name, String constant, int offset, List<Integer> shape, boolean transposed) {
    public Tensor {
        shape = List.copyOf(shape);
        if (transposed && shape.size() != 2) {
            throw new IllegalArgumentException(name + ": only 2-D tensors can be stored transposed");
        }
    }

    /** A tensor stored as its shape says. */
    public Tensor(String name, String constant, int offset, List<Integer> shape) {
        this(name, constant, offset, shape, false);
    }

    public int size() {
        return shape.stream().reduce(1, Math::multiplyExact);
    }
}
