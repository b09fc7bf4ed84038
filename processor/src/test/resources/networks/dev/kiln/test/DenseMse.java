package dev.kiln.test;

import dev.kiln.annotations.Activation;
import dev.kiln.annotations.Dense;
import dev.kiln.annotations.Loss;
import dev.kiln.annotations.Network;
import dev.kiln.runtime.Layer;

@Network(input = 5, loss = Loss.MSE)
abstract class DenseMse {
    @Dense(units = 6, activation = Activation.LEAKY_RELU, negativeSlope = 0.2f) Layer fc1;
    @Dense(units = 4, activation = Activation.TANH) Layer fc2;
    @Dense(units = 3, activation = Activation.SOFTMAX) Layer fc3;
}
