package dev.kiln.test;

import dev.kiln.annotations.Activation;
import dev.kiln.annotations.Conv2D;
import dev.kiln.annotations.Dense;
import dev.kiln.annotations.Flatten;
import dev.kiln.annotations.Loss;
import dev.kiln.annotations.MaxPooling2D;
import dev.kiln.annotations.Network;
import dev.kiln.runtime.Layer;

/** Keras' MNIST CNN. */
@Network(input = {28, 28, 1}, loss = Loss.SPARSE_SOFTMAX_CROSS_ENTROPY)
abstract class Cnn {
    @Conv2D(filters = 32, kernel = 3, activation = Activation.RELU) Layer conv;
    @MaxPooling2D Layer pool;
    @Flatten Layer flatten;
    @Dense(units = 128, activation = Activation.RELU) Layer hidden;
    @Dense(units = 10, activation = Activation.SOFTMAX) Layer out;
}
