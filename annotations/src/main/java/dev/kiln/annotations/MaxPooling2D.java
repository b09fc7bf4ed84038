package dev.kiln.annotations;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Pooling over an input of shape {@code (height, width, channels)}: the largest value of each window, per channel, like Keras' {@code MaxPooling2D} and PyTorch's {@code nn.MaxPool2d}.
 *
 * <p>When several elements of a window hold the largest value, the first of them in row-major
 * order (top to bottom, then left to right) receives the gradient, as in PyTorch.
 * The output has shape {@code (outHeight, outWidth, channels)}; see {@link Padding}. The layer
 * has no parameters.
 *
 * <pre>{@code
 * @MaxPooling2D Layer pool;                         // 2x2 windows, stride 2
 * @MaxPooling2D(pool = 3, stride = 2) Layer pool;   // overlapping 3x3 windows
 * }</pre>
 */
@Documented
@LayerKind
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.FIELD)
public @interface MaxPooling2D {

    /** The window's {@code {height, width}}, or one number for a square window. */
    int[] pool() default 2;

    /**
     * The step between windows, {@code {vertical, horizontal}} or one number for both; empty (the
     * default) means the window's size, so windows do not overlap.
     */
    int[] stride() default {};

    /** How the border is treated. */
    Padding padding() default Padding.VALID;
}
