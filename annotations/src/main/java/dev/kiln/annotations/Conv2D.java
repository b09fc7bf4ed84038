package dev.kiln.annotations;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A 2D convolution over an input of shape {@code (height, width, channels)}, like Keras'
 * {@code Conv2D} and PyTorch's {@code nn.Conv2d} (dilation 1, one group). The output has shape
 * {@code (outHeight, outWidth, filters)}; see {@link Padding} for its height and width.
 *
 * <p>Its parameters have PyTorch's names and layouts, so they move to and from {@code nn.Conv2d}
 * unchanged: {@code <field>.weight} with shape {@code (filters, channels, kernelHeight, kernelWidth)}
 * and {@code <field>.bias} with shape {@code (filters)}. Activations are laid out channels last
 * {@code (height, width, channels)}, as in Keras.
 *
 * <pre>{@code
 * @Conv2D(filters = 32, kernel = 3, activation = Activation.RELU) Layer conv1;   // 3x3, stride 1, VALID
 * @Conv2D(filters = 64, kernel = {3, 5}, stride = 2, padding = Padding.SAME) Layer conv2;
 * }</pre>
 */
@Documented
@LayerKind
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.FIELD)
public @interface Conv2D {

    /** The number of output channels. */
    int filters();

    /** The kernel's {@code {height, width}}, or one number for a square kernel. */
    int[] kernel();

    /** The step between windows, {@code {vertical, horizontal}} or one number for both. */
    int[] stride() default 1;

    /** How the border is treated. */
    Padding padding() default Padding.VALID;

    /** The activation applied to the outputs. */
    Activation activation() default Activation.LINEAR;

    /** Whether the layer adds a learned bias per filter. */
    boolean bias() default true;

    /** The slope for negative inputs, used only by {@link Activation#LEAKY_RELU} (PyTorch's default). */
    float negativeSlope() default 0.01f;
}
