package dev.kiln.test;

import dev.kiln.annotations.Activation;
import dev.kiln.annotations.Dense;
import dev.kiln.annotations.Loss;
import dev.kiln.annotations.Network;
import dev.kiln.runtime.Layer;

@Network(input = 7, loss = Loss.BINARY_CROSS_ENTROPY)
abstract class DenseBce {
    @Dense(units = 9, activation = Activation.RELU) Layer fc1;
    @Dense(units = 6, activation = Activation.SIGMOID) Layer fc2;
    @Dense(units = 3, activation = Activation.SIGMOID) Layer fc3;
}
