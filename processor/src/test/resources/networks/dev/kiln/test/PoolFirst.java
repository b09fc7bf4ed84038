package dev.kiln.test;

import dev.kiln.annotations.Activation;
import dev.kiln.annotations.AveragePooling2D;
import dev.kiln.annotations.Conv2D;
import dev.kiln.annotations.Dense;
import dev.kiln.annotations.Flatten;
import dev.kiln.annotations.Loss;
import dev.kiln.annotations.MaxPooling2D;
import dev.kiln.annotations.Network;
import dev.kiln.runtime.Layer;

/**
 * pool_first in tools/reference/record_conv.py: overlapping 3x3 max pooling with stride 2 straight
 * on an input with many ties (small integers), so the input gradient shows which tied element gets
 * it; then a convolution with eight input channels and overlapping average pooling.
 */
@Network(input = {9, 9, 8}, loss = Loss.MSE)
abstract class PoolFirst {
    @MaxPooling2D(pool = 3, stride = 2) Layer pool1;
    @Conv2D(filters = 8, kernel = 2, activation = Activation.SIGMOID) Layer conv1;
    @AveragePooling2D(pool = 2, stride = 1) Layer pool2;
    @Flatten Layer flat;
    @Dense(units = 2) Layer fc;
}
