package dev.kiln.processor.model;

import dev.kiln.annotations.Padding;

/**
 * Where a convolution kernel or pooling window goes over an image: the input's height and width,
 * the window's size and stride, and the padding around the input (TensorFlow's definition, see
 * {@link Padding#SAME}).
 */
public record Window(
        int inHeight,
        int inWidth,
        int height,
        int width,
        int strideHeight,
        int strideWidth,
        Padding padding,
        int padTop,
        int padBottom,
        int padLeft,
        int padRight) {

    /** The window over an {@code inHeight x inWidth} input with the padding its mode asks for. */
    public static Window of(int inHeight, int inWidth, int height, int width, int strideHeight, int strideWidth, Padding padding) {
        if (padding == Padding.VALID) {
            return new Window(inHeight, inWidth, height, width, strideHeight, strideWidth, padding, 0, 0, 0, 0);
        }
        int totalHeight = samePadding(inHeight, height, strideHeight);
        int totalWidth = samePadding(inWidth, width, strideWidth);
        return new Window(inHeight, inWidth, height, width, strideHeight, strideWidth, padding,
                totalHeight / 2, totalHeight - totalHeight / 2, totalWidth / 2, totalWidth - totalWidth / 2);
    }

    /** {@code max((ceil(in / stride) - 1) * stride + window - in, 0)}. */
    private static int samePadding(int in, int window, int stride) {
        int out = (in + stride - 1) / stride;
        return Math.max((out - 1) * stride + window - in, 0);
    }

    /** Whether the window fits the input at least once (always true with SAME padding). */
    public boolean fits() {
        return height <= paddedHeight() && width <= paddedWidth();
    }

    public int paddedHeight() {
        return inHeight + padTop + padBottom;
    }

    public int paddedWidth() {
        return inWidth + padLeft + padRight;
    }

    /** Whether any padding is added. */
    public boolean padded() {
        return padTop + padBottom + padLeft + padRight > 0;
    }

    public int outHeight() {
        return (paddedHeight() - height) / strideHeight + 1;
    }

    public int outWidth() {
        return (paddedWidth() - width) / strideWidth + 1;
    }

    /** {@code 3x3}. */
    public String size() {
        return height + "x" + width;
    }

    /** {@code stride 2x2, SAME padding (top 0, bottom 1, left 0, right 1)}, for comments. */
    public String describe() {
        String text = "stride " + strideHeight + "x" + strideWidth + ", " + padding + " padding";
        return padded() ? text + " (top " + padTop + ", bottom " + padBottom + ", left " + padLeft + ", right " + padRight + ")" : text;
    }
}
