package dev.kiln.annotations;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Declares a neural network on an abstract class. Each field of the class that carries a layer
 * annotation ({@link Dense}, ...) is one layer, in declaration order; the field's name names the
 * layer's parameters ({@code hidden.weight}, {@code hidden.bias}).
 *
 * <pre>{@code
 * @Network(input = 784, loss = Loss.SPARSE_SOFTMAX_CROSS_ENTROPY)
 * abstract class FashionMlp {
 *     @Dense(units = 128, activation = Activation.RELU) Layer hidden;
 *     @Dense(units = 10) Layer logits;
 * }
 * }</pre>
 *
 * At compile time Kiln checks the declaration and generates {@code FashionMlpModel}, a final
 * subclass with forward and backward code specialized to exactly these shapes.
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.TYPE)
public @interface Network {

    /**
     * The shape of one input sample, without the batch dimension: {@code 784} for a flat vector,
     * or {@code {28, 28, 1}} (height, width, channels) for images that {@link Conv2D} and pooling
     * layers take.
     */
    int[] input() default {};

    /** The loss the network is trained with. */
    Loss loss();

    /**
     * The simple name of the generated class; empty means the declaring class's name followed by
     * {@code Model}.
     */
    String className() default "";
}
