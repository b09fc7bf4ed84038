package dev.kiln.annotations;

/**
 * How a {@link Conv2D} or pooling layer treats the border of its input, as in Keras and
 * TensorFlow.
 */
public enum Padding {
    /**
     * No padding: a window only goes where it fits entirely, so the output has
     * {@code floor((in - window) / stride) + 1} positions along each axis.
     */
    VALID,
    /**
     * Pads the input so the output has {@code ceil(in / stride)} positions along each axis.
     * TensorFlow's definition: the padding along an axis is
     * {@code max((ceil(in / stride) - 1) * stride + window - in, 0)}, half of it (rounded down)
     * before the input and the rest after it, so an odd amount puts the extra row at the bottom
     * and the extra column on the right. Convolutions pad with zeros; max pooling ignores the
     * padding and average pooling divides by the number of input elements in the window, not
     * counting the padding. For stride 1 this is PyTorch's {@code padding='same'}.
     */
    SAME
}
