package dev.kiln.test;

import dev.kiln.annotations.Activation;
import dev.kiln.annotations.Conv2D;
import dev.kiln.annotations.Dense;
import dev.kiln.annotations.Flatten;
import dev.kiln.annotations.Loss;
import dev.kiln.annotations.MaxPooling2D;
import dev.kiln.annotations.Network;
import dev.kiln.annotations.Padding;
import dev.kiln.runtime.Layer;

/**
 * conv_stride_same in tools/reference/record_conv.py: SAME padding with stride 2 on an 8x9 image
 * (TensorFlow's asymmetric padding: none on top, one row below, one column each side), then
 * overlapping 3x3 max pooling with stride 1 and SAME padding.
 */
@Network(input = {8, 9, 3}, loss = Loss.BINARY_CROSS_ENTROPY)
abstract class ConvStrideSame {
    @Conv2D(filters = 32, kernel = 3, stride = 2, padding = Padding.SAME, activation = Activation.RELU) Layer conv1;
    @MaxPooling2D(pool = 3, stride = 1, padding = Padding.SAME) Layer pool1;
    @Flatten Layer flat;
    @Dense(units = 3, activation = Activation.SIGMOID) Layer fc;
}
