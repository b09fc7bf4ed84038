package dev.kiln.examples;

import dev.kiln.annotations.Activation;
import dev.kiln.annotations.Conv2D;
import dev.kiln.annotations.Dense;
import dev.kiln.annotations.Flatten;
import dev.kiln.annotations.Loss;
import dev.kiln.annotations.MaxPooling2D;
import dev.kiln.annotations.Network;
import dev.kiln.annotations.Padding;
import dev.kiln.runtime.Layer;

/** A small CNN for the 8x8 UCI digits: (8, 8, 1) -> (8, 8, 16) -> (4, 4, 16) -> 256 -> 10. */
@Network(input = {8, 8, 1}, loss = Loss.SPARSE_SOFTMAX_CROSS_ENTROPY)
abstract class DigitsCnn {
    @Conv2D(filters = 16, kernel = 3, padding = Padding.SAME, activation = Activation.RELU) Layer conv;
    @MaxPooling2D Layer pool;
    @Flatten Layer flatten;
    @Dense(units = 10) Layer digit;
}
