package dev.kiln.test;

import dev.kiln.annotations.Activation;
import dev.kiln.annotations.AveragePooling2D;
import dev.kiln.annotations.Conv2D;
import dev.kiln.annotations.Dense;
import dev.kiln.annotations.Flatten;
import dev.kiln.annotations.Loss;
import dev.kiln.annotations.Network;
import dev.kiln.annotations.Padding;
import dev.kiln.runtime.Layer;

/**
 * conv_same_avg in tools/reference/record_conv.py: three channels, SAME stride 1, average pooling
 * with SAME padding of an odd size, and a second convolution (eight channels in, a 2x3 kernel,
 * stride 2, no bias) whose input gradient flows back.
 */
@Network(input = {7, 7, 3}, loss = Loss.SOFTMAX_CROSS_ENTROPY)
abstract class ConvSameAvg {
    @Conv2D(filters = 8, kernel = 3, padding = Padding.SAME, activation = Activation.TANH) Layer conv1;
    @AveragePooling2D(padding = Padding.SAME) Layer pool1;
    @Conv2D(filters = 20, kernel = {2, 3}, stride = 2, activation = Activation.LEAKY_RELU, negativeSlope = 0.2f, bias = false) Layer conv2;
    @Flatten Layer flat;
    @Dense(units = 4, activation = Activation.SOFTMAX) Layer fc;
}
