package dev.kiln.test;

import dev.kiln.annotations.Activation;
import dev.kiln.annotations.Dense;
import dev.kiln.annotations.Loss;
import dev.kiln.annotations.Network;
import dev.kiln.runtime.Layer;

/** A first layer whose W^T (2306 x 128 floats, 1.18 MB) is beyond L2, so its single-row forward reads 8 rows per pass. */
@Network(input = 2306, loss = Loss.SPARSE_SOFTMAX_CROSS_ENTROPY)
abstract class DenseWide {
    @Dense(units = 128, activation = Activation.RELU) Layer fc1;
    @Dense(units = 10) Layer fc2;
}
