package dev.kiln.test;

import dev.kiln.annotations.Activation;
import dev.kiln.annotations.Dense;
import dev.kiln.annotations.Loss;
import dev.kiln.annotations.Network;
import dev.kiln.runtime.Layer;

/**
 * Both weight-gradient panel tiles: fc1's 64 outputs take panels of 4 vectors (2 inputs a tile, 37
 * inputs leave one over), fc2's 96 outputs panels of 2 vectors (4 inputs a tile).
 */
@Network(input = 37, loss = Loss.SPARSE_SOFTMAX_CROSS_ENTROPY)
abstract class DensePanels {
    @Dense(units = 64, activation = Activation.RELU) Layer fc1;
    @Dense(units = 96, activation = Activation.TANH) Layer fc2;
    @Dense(units = 3) Layer fc3;
}
