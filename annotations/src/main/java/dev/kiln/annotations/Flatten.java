package dev.kiln.annotations;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Flattens each sample to one dimension, like Keras' {@code Flatten}, so a {@link Dense} layer
 * can follow a {@link Conv2D} or pooling layer. It costs nothing: the generated code keeps
 * activations channels last, {@code (height, width, channels)}, which is already the flat order.
 *
 * <p><b>The order differs from PyTorch's.</b> Kiln, like Keras, flattens in
 * {@code (height, width, channel)} order; PyTorch's {@code nn.Flatten} on an {@code NCHW} tensor
 * flattens in {@code (channel, height, width)} order. The weights of a Dense layer after Flatten
 * therefore match a PyTorch model that permutes before flattening:
 * {@code x.permute(0, 2, 3, 1).flatten(1)}. (Without the permute, the Dense weight's columns
 * would have to be permuted instead.)
 */
@Documented
@LayerKind
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.FIELD)
public @interface Flatten {
}
