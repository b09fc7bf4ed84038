package dev.kiln.annotations;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A fully connected layer: {@code y = activation(x W^T + b)}, like Keras' {@code Dense} and
 * PyTorch's {@code nn.Linear}. Its parameters are {@code <field>.weight} with shape
 * {@code (units, inputs)} and {@code <field>.bias} with shape {@code (units)}.
 */
@Documented
@LayerKind
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.FIELD)
public @interface Dense {

    /** The number of outputs. */
    int units();

    /** The activation applied to the outputs. */
    Activation activation() default Activation.LINEAR;

    /** Whether the layer adds a learned bias. */
    boolean bias() default true;

    /** The slope for negative inputs, used only by {@link Activation#LEAKY_RELU} (PyTorch's default). */
    float negativeSlope() default 0.01f;
}
