package dev.kiln.runtime.data;

/**
 * The feature shape an image loader gives each sample. The pixels are the same row-major floats
 * either way; only {@link Dataset#featureShape()} differs.
 */
public enum ImageLayout {
    /** One flat vector of {@code rows * cols} pixels, the input of a dense network: {@code (784)}. */
    FLAT,
    /** Height, width and one channel, the input of a convolution: {@code (28, 28, 1)}. */
    CHANNELS_LAST;

    /** The feature shape of one {@code rows x cols} grey image. */
    public int[] shape(int rows, int cols) {
        return switch (this) {
            case FLAT -> new int[] {Math.multiplyExact(rows, cols)};
            case CHANNELS_LAST -> new int[] {rows, cols, 1};
        };
    }
}
