package dev.kiln.benchmarks;

import dev.kiln.annotations.Activation;
import dev.kiln.annotations.Dense;
import dev.kiln.annotations.Loss;
import dev.kiln.annotations.Network;
import dev.kiln.runtime.Layer;

/**
 * The anchors' W1/W2 network (shared/anchors/py/common.py, {@code MLP}): Dense 784 -> 128 ReLU,
 * Dense 128 -> 10 softmax. The field names match PyTorch's {@code fc1}/{@code fc2}, so the tensors
 * are {@code fc1.weight} (128, 784) and so on, in PyTorch's (out, in) layout. Training fuses the
 * softmax into the sparse cross-entropy; {@code predict} outputs probabilities.
 */
@Network(input = 784, loss = Loss.SPARSE_SOFTMAX_CROSS_ENTROPY)
abstract class W1Mlp {
    @Dense(units = 128, activation = Activation.RELU) Layer fc1;
    @Dense(units = 10, activation = Activation.SOFTMAX) Layer fc2;
}
