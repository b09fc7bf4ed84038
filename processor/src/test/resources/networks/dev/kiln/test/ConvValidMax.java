package dev.kiln.test;

import dev.kiln.annotations.Activation;
import dev.kiln.annotations.Conv2D;
import dev.kiln.annotations.Dense;
import dev.kiln.annotations.Flatten;
import dev.kiln.annotations.Loss;
import dev.kiln.annotations.MaxPooling2D;
import dev.kiln.annotations.Network;
import dev.kiln.runtime.Layer;

/** conv_valid_max in tools/reference/record_conv.py: one channel, VALID stride 1, max pooling of an odd size. */
@Network(input = {9, 9, 1}, loss = Loss.SPARSE_SOFTMAX_CROSS_ENTROPY)
abstract class ConvValidMax {
    @Conv2D(filters = 16, kernel = 3, activation = Activation.RELU) Layer conv1;
    @MaxPooling2D Layer pool1;
    @Flatten Layer flat;
    @Dense(units = 5) Layer fc;
}
