package dev.kiln.runtime;

import java.util.Arrays;

/**
 * One named tensor inside the flat parameter vector, such as {@code hidden.weight} with shape
 * {@code (128, 784)} at offset 0. Shapes and names follow PyTorch's {@code nn.Module}.
 */
public final class ParameterTensor {
    private final String name;
    private final int offset;
    private final int[] shape;
    private final int size;

    public ParameterTensor(String name, int offset, int... shape) {
        if (offset < 0) {
            throw new IllegalArgumentException(name + ": offset " + offset + " is negative");
        }
        int n = 1;
        for (int d : shape) {
            if (d <= 0) {
                throw new IllegalArgumentException(name + ": dimension " + d + " in " + Arrays.toString(shape) + " is not positive");
            }
            n = Math.multiplyExact(n, d);
        }
        this.name = name;
        this.offset = offset;
        this.shape = shape.clone();
        this.size = n;
    }

    public String name() {
        return name;
    }

    /** Where the tensor starts in {@link Parameters#values()} and {@link Parameters#gradients()}. */
    public int offset() {
        return offset;
    }

    public int[] shape() {
        return shape.clone();
    }

    /** The number of floats: the product of the shape. */
    public int size() {
        return size;
    }

    @Override
    public String toString() {
        return name + " " + Arrays.toString(shape).replace('[', '(').replace(']', ')');
    }
}
