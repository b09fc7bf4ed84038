package dev.kiln.benchmarks;

import dev.kiln.annotations.Activation;
import dev.kiln.annotations.Conv2D;
import dev.kiln.annotations.Dense;
import dev.kiln.annotations.Flatten;
import dev.kiln.annotations.Loss;
import dev.kiln.annotations.MaxPooling2D;
import dev.kiln.annotations.Network;
import dev.kiln.runtime.Layer;

/**
 * The anchors' W3 network (shared/anchors/py/train_bench.py, Keras' MNIST CNN): Conv2D 32 3x3 valid
 * ReLU -> MaxPooling2D 2x2 -> Flatten -> Dense 128 ReLU -> Dense 10 softmax, on 28x28x1 images.
 */
@Network(input = {28, 28, 1}, loss = Loss.SPARSE_SOFTMAX_CROSS_ENTROPY)
abstract class W3Cnn {
    @Conv2D(filters = 32, kernel = 3, activation = Activation.RELU) Layer conv;
    @MaxPooling2D Layer pool;
    @Flatten Layer flatten;
    @Dense(units = 128, activation = Activation.RELU) Layer fc1;
    @Dense(units = 10, activation = Activation.SOFTMAX) Layer fc2;
}
