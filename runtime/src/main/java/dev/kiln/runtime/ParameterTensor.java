package dev.kiln.runtime;

import java.util.Arrays;

/**
 * One named tensor inside the flat parameter vector, such as {@code hidden.weight} with shape
 * {@code (128, 784)} at offset 0. Names and shapes follow PyTorch's {@code nn.Module}. A 2-D
 * tensor may be stored transposed, as {@code (784, 128)}, when that suits the generated kernels;
 * {@link Parameters#get}, {@link Parameters#set} and weight files still see PyTorch's layout.
 */
public final class ParameterTensor {
    private final String name;
    private final int offset;
    private final int[] shape;
    private final int size;
    private final boolean transposed;

    public ParameterTensor(String name, int offset, int... shape) {
        this(name, offset, false, shape);
    }

    /** A 2-D tensor of PyTorch shape {@code (rows, columns)} stored as {@code (columns, rows)}. */
    public static ParameterTensor transposed(String name, int offset, int rows, int columns) {
        return new ParameterTensor(name, offset, true, rows, columns);
    }

    private ParameterTensor(String name, int offset, boolean transposed, int... shape) {
        if (transposed && shape.length != 2) {
            throw new IllegalArgumentException(name + ": only 2-D tensors can be stored transposed, not " + Arrays.toString(shape));
        }
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
        this.transposed = transposed;
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

    /** Whether the tensor is stored as the transpose of its shape. */
    public boolean transposed() {
        return transposed;
    }

    /** Copies the tensor from {@code storage} into {@code target} in PyTorch's row-major layout. */
    void exportTo(float[] storage, float[] target, int targetOffset) {
        if (!transposed) {
            System.arraycopy(storage, offset, target, targetOffset, size);
            return;
        }
        int rows = shape[0];
        int columns = shape[1];
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < columns; c++) {
                target[targetOffset + r * columns + c] = storage[offset + c * rows + r];
            }
        }
    }

    /** Copies the tensor from {@code source}, in PyTorch's row-major layout, into {@code storage}. */
    void importFrom(float[] source, int sourceOffset, float[] storage) {
        if (!transposed) {
            System.arraycopy(source, sourceOffset, storage, offset, size);
            return;
        }
        int rows = shape[0];
        int columns = shape[1];
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < columns; c++) {
                storage[offset + c * rows + r] = source[sourceOffset + r * columns + c];
            }
        }
    }

    @Override
    public String toString() {
        return name + " " + Arrays.toString(shape).replace('[', '(').replace(']', ')');
    }
}
