package dev.kiln.test;

import dev.kiln.annotations.Activation;
import dev.kiln.annotations.Dense;
import dev.kiln.annotations.Loss;
import dev.kiln.annotations.Network;
import dev.kiln.runtime.Layer;

@Network(input = 784, loss = Loss.SPARSE_SOFTMAX_CROSS_ENTROPY)
abstract class Mlp {
    @Dense(units = 128, activation = Activation.RELU) Layer hidden;
    @Dense(units = 10) Layer logits;
}
