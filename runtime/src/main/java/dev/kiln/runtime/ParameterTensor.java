package dev.kiln.runtime;

import java.util.Arrays;

/**
 * One named tensor inside the flat parameter vector, such as {@code hidden.weight} with shape
 * {@code (128, 784)} at offset 0. Names and shapes follow PyTorch's {@code nn.Module}. A 2-D
 * tensor may be stored transposed, as {@code (784, 128)}, when that suits the generated kernels;
 * {@link Parameters#get}, {@link Parameters#set} and weight files still see PyTorch's layout.
 *
 * <p>The weight of a Dense layer after a Flatten of an image is also stored with its columns in
 * Kiln's order of the image, {@code (height, width, channel)}, while PyTorch's {@code nn.Flatten} of
 * an NCHW tensor orders them {@code (channel, height, width)}: everything that names the tensor
 * sees PyTorch's column order ({@link #flattenedImage}), so the file loads into {@code nn.Linear}
 * after {@code nn.Flatten} unchanged.
 */
public final class ParameterTensor {
    private final String name;
    private final int offset;
    private final int[] shape;
    private final int size;
    private final boolean transposed;
    /** For each column in PyTorch's order, the column in storage; null when they are the same. */
    private final int[] storedColumn;

    public ParameterTensor(String name, int offset, int... shape) {
        this(name, offset, false, null, shape);
    }

    /** A 2-D tensor of PyTorch shape {@code (rows, columns)} stored as {@code (columns, rows)}. */
    public static ParameterTensor transposed(String name, int offset, int rows, int columns) {
        return new ParameterTensor(name, offset, true, null, rows, columns);
    }

    /**
     * The weight of a Dense layer of {@code rows} units over a flattened {@code (height, width,
     * channels)} image: PyTorch shape {@code (rows, channels * height * width)} with the columns in
     * {@code (channel, height, width)} order, as {@code nn.Linear} after {@code nn.Flatten} of NCHW
     * has them; stored transposed, the rows of the transpose in Kiln's {@code (height, width,
     * channel)} order.
     */
    public static ParameterTensor flattenedImage(String name, int offset, int rows, int height, int width, int channels) {
        int columns = Math.multiplyExact(Math.multiplyExact(height, width), channels);
        int[] stored = new int[columns];
        for (int c = 0; c < channels; c++) {
            for (int h = 0; h < height; h++) {
                for (int w = 0; w < width; w++) {
                    stored[(c * height + h) * width + w] = (h * width + w) * channels + c;
                }
            }
        }
        return new ParameterTensor(name, offset, true, stored, rows, columns);
    }

    private ParameterTensor(String name, int offset, boolean transposed, int[] storedColumn, int... shape) {
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
        this.storedColumn = storedColumn;
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

    /** Whether its columns are stored in another order than PyTorch's (a Dense weight after a Flatten of an image). */
    public boolean permutedColumns() {
        return storedColumn != null;
    }

    /** The column of the stored tensor that holds PyTorch's column {@code c}. */
    private int stored(int c) {
        return storedColumn == null ? c : storedColumn[c];
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
                target[targetOffset + r * columns + c] = storage[offset + stored(c) * rows + r];
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
                storage[offset + stored(c) * rows + r] = source[sourceOffset + r * columns + c];
            }
        }
    }

    @Override
    public String toString() {
        return name + " " + Arrays.toString(shape).replace('[', '(').replace(']', ')');
    }
}
