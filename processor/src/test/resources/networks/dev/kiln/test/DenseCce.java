package dev.kiln.test;

import dev.kiln.annotations.Activation;
import dev.kiln.annotations.Dense;
import dev.kiln.annotations.Loss;
import dev.kiln.annotations.Network;
import dev.kiln.runtime.Layer;

@Network(input = 6, loss = Loss.SOFTMAX_CROSS_ENTROPY)
abstract class DenseCce {
    @Dense(units = 10, activation = Activation.SIGMOID) Layer fc1;
    @Dense(units = 7, activation = Activation.RELU, bias = false) Layer fc2;
    @Dense(units = 4, activation = Activation.SOFTMAX) Layer fc3;
}
