package dev.kiln.test;

import dev.kiln.annotations.Activation;
import dev.kiln.annotations.Dense;
import dev.kiln.annotations.Loss;
import dev.kiln.annotations.Network;
import dev.kiln.runtime.Layer;

@Network(input = 12, loss = Loss.SPARSE_SOFTMAX_CROSS_ENTROPY)
abstract class DenseSparse {
    @Dense(units = 16, activation = Activation.TANH) Layer fc1;
    @Dense(units = 8, activation = Activation.LEAKY_RELU, negativeSlope = 0.01f) Layer fc2;
    @Dense(units = 5) Layer fc3;
}
