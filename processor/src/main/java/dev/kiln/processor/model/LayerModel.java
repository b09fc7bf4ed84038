package dev.kiln.processor.model;

import dev.kiln.annotations.Activation;
import java.util.List;

/** One validated layer with its shapes and parameter tensors. */
public sealed interface LayerModel permits DenseLayer {

    /** The field's name. */
    String name();

    /** The annotation's simple name: {@code Dense}. */
    String kind();

    Shape input();

    Shape output();

    Activation activation();

    /** The layer's tensors, weight first. */
    List<Tensor> tensors();

    default int parameterCount() {
        return tensors().stream().mapToInt(Tensor::size).sum();
    }
}
