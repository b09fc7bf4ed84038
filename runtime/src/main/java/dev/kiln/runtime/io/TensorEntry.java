package dev.kiln.runtime.io;

import java.util.Arrays;

/**
 * One tensor of a safetensors header: its dtype, shape and byte range {@code [begin, end)} in the
 * data section (after the header).
 */
record TensorEntry(String name, String dtype, long[] shape, long begin, long end) {

    /** The shape as PyTorch prints it, {@code (3, 4)}. */
    String shapeText() {
        return shapeText(shape);
    }

    static String shapeText(long[] shape) {
        return Arrays.toString(shape).replace('[', '(').replace(']', ')');
    }

    static String shapeText(int[] shape) {
        return Arrays.toString(shape).replace('[', '(').replace(']', ')');
    }

    String range() {
        return "[" + begin + ", " + end + ")";
    }
}
