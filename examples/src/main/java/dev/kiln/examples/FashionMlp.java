package dev.kiln.examples;

import dev.kiln.annotations.Activation;
import dev.kiln.annotations.Dense;
import dev.kiln.annotations.Loss;
import dev.kiln.annotations.Network;
import dev.kiln.runtime.Layer;

/** The 784-128-10 classifier for 28x28 images such as Fashion-MNIST. */
@Network(input = 784, loss = Loss.SPARSE_SOFTMAX_CROSS_ENTROPY)
abstract class FashionMlp {
    @Dense(units = 128, activation = Activation.RELU) Layer hidden;
    @Dense(units = 10) Layer logits;
}
