package dev.kiln.test;

import dev.kiln.annotations.Activation;
import dev.kiln.annotations.AveragePooling2D;
import dev.kiln.annotations.Conv2D;
import dev.kiln.annotations.Dense;
import dev.kiln.annotations.Flatten;
import dev.kiln.annotations.Loss;
import dev.kiln.annotations.MaxPooling2D;
import dev.kiln.annotations.Network;
import dev.kiln.annotations.Padding;
import dev.kiln.runtime.Layer;

/**
 * Sizes that leave every tail and remainder of the vector kernels: 20 and 48 filters (a block of
 * two vectors, then one vector, then scalars), 3 and 20 channels, rows whose width is not a
 * multiple of the pixel tile, and kernel rows of 40 floats for the input gradient.
 */
@Network(input = {11, 10, 3}, loss = Loss.SPARSE_SOFTMAX_CROSS_ENTROPY)
abstract class CnnTails {
    @Conv2D(filters = 20, kernel = 3, padding = Padding.SAME, activation = Activation.RELU) Layer conv1;
    @MaxPooling2D(padding = Padding.SAME) Layer pool1;
    @Conv2D(filters = 48, kernel = {3, 2}, stride = {2, 1}, activation = Activation.TANH) Layer conv2;
    @AveragePooling2D(pool = {1, 2}, stride = 1) Layer pool2;
    @Flatten Layer flat;
    @Dense(units = 7, activation = Activation.SOFTMAX) Layer out;
}
