package dev.kiln.examples;

import dev.kiln.annotations.Dense;
import dev.kiln.annotations.Loss;
import dev.kiln.annotations.Network;
import dev.kiln.runtime.Layer;

/** Linear regression: one input, one linear unit, mean squared error. */
@Network(input = 1, loss = Loss.MSE)
abstract class Line {
    @Dense(units = 1) Layer fit;
}
