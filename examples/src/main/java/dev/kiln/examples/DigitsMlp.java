package dev.kiln.examples;

import dev.kiln.annotations.Activation;
import dev.kiln.annotations.Dense;
import dev.kiln.annotations.Loss;
import dev.kiln.annotations.Network;
import dev.kiln.runtime.Layer;

/** A classifier for the 8x8 handwritten digits: 64 pixels in, one probability per digit out. */
@Network(input = 64, loss = Loss.SPARSE_SOFTMAX_CROSS_ENTROPY)
abstract class DigitsMlp {
    @Dense(units = 64, activation = Activation.RELU) Layer hidden;
    @Dense(units = 10, activation = Activation.SOFTMAX) Layer digit;
}
