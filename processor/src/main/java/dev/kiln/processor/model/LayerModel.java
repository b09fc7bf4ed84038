package dev.kiln.processor.model;

import dev.kiln.annotations.Activation;
import java.util.List;

/** One validated layer with its shapes and parameter tensors. */
public sealed interface LayerModel permits DenseLayer, Conv2DLayer, Pooling2DLayer, FlattenLayer {

    /** The field's name. */
    String name();

    /** The annotation's simple name: {@code Dense}, {@code Conv2D}, ... */
    String kind();

    Shape input();

    Shape output();

    /** The activation applied to the outputs; LINEAR for layers without one. */
    Activation activation();

    /** The slope of LEAKY_RELU for negative inputs; meaningful only with that activation. */
    float negativeSlope();

    /** The layer's tensors, weight first. */
    List<Tensor> tensors();

    default int parameterCount() {
        return tensors().stream().mapToInt(Tensor::size).sum();
    }
}
