package dev.kiln.processor.model;

import java.util.List;
import java.util.Optional;

/**
 * One parameter tensor: its PyTorch name ({@code hidden.weight}), the name of its offset constant
 * in the generated class ({@code HIDDEN_WEIGHT}), its offset in the flat vector, its PyTorch shape,
 * whether the generated code stores it transposed (a 2-D tensor kept as {@code (in, out)}), and,
 * for the weight of a Dense layer after a Flatten of an image, that image's shape {@code (H, W, C)}:
 * its columns are then stored in Kiln's {@code (H, W, C)} order, PyTorch's {@code nn.Flatten} of
 * NCHW orders them {@code (C, H, W)}, and weight files use PyTorch's order.
 */
public record Tensor(String name, String constant, int offset, List<Integer> shape, boolean transposed, Optional<Shape> flattenedImage) {
    public Tensor {
        shape = List.copyOf(shape);
        if (transposed && shape.size() != 2) {
            throw new IllegalArgumentException(name + ": only 2-D tensors can be stored transposed");
        }
    }

    /** A tensor stored as its shape says. */
    public Tensor(String name, String constant, int offset, List<Integer> shape) {
        this(name, constant, offset, shape, false, Optional.empty());
    }

    /** A tensor stored as its shape says, or transposed. */
    public Tensor(String name, String constant, int offset, List<Integer> shape, boolean transposed) {
        this(name, constant, offset, shape, transposed, Optional.empty());
    }

    /**
     * This 2-D tensor with its columns read as a flattened {@code image}, when PyTorch's order of
     * them differs from Kiln's (more than one channel and more than one pixel); else this tensor.
     */
    public Tensor withFlattenedImage(Shape image) {
        boolean differs = image.rank() == 3 && image.dims().get(2) > 1 && image.dims().get(0) * image.dims().get(1) > 1;
        return differs ? new Tensor(name, constant, offset, shape, transposed, Optional.of(image)) : this;
    }

    public int size() {
        return shape.stream().reduce(1, Math::multiplyExact);
    }
}
