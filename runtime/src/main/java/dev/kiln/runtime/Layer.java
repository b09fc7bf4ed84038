package dev.kiln.runtime;

import java.util.List;

/**
 * The type of a layer field in a {@code @Network} class. The generated model sets each field to
 * the layer's handle: its name, kind and parameter tensors.
 *
 * <pre>{@code
 * @Dense(units = 128, activation = Activation.RELU) Layer hidden;
 * ...
 * model.hidden.tensors()   // [hidden.weight (128, 784), hidden.bias (128)]
 * }</pre>
 */
public final class Layer {
    private final String name;
    private final String kind;
    private final List<ParameterTensor> tensors;

    public Layer(String name, String kind, List<ParameterTensor> tensors) {
        this.name = name;
        this.kind = kind;
        this.tensors = List.copyOf(tensors);
    }

    /** The field's name, which prefixes the names of the layer's tensors. */
    public String name() {
        return name;
    }

    /** The layer annotation's simple name, such as {@code Dense}. */
    public String kind() {
        return kind;
    }

    /** The layer's parameter tensors, weight first. */
    public List<ParameterTensor> tensors() {
        return tensors;
    }

    @Override
    public String toString() {
        return name + ": " + kind + " " + tensors;
    }
}
