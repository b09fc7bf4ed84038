package dev.kiln.runtime;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;

/**
 * All parameters of a model in one flat vector, with a gradient vector of the same length. The
 * named tensors tile the vector without gaps, in declaration order, so optimizers and weight files
 * see one contiguous array.
 */
public final class Parameters {
    private final float[] values;
    private final float[] gradients;
    private final Map<String, ParameterTensor> tensors = new LinkedHashMap<>();

    public Parameters(List<ParameterTensor> tensors) {
        this(tensors, null);
    }

    /** Parameters over {@code values}, or over a new zeroed vector when it is null, with new gradients. */
    private Parameters(List<ParameterTensor> tensors, float[] values) {
        int next = 0;
        for (ParameterTensor t : tensors) {
            if (t.offset() != next) {
                throw new IllegalArgumentException(t.name() + " starts at " + t.offset() + " but the previous tensor ends at " + next);
            }
            if (this.tensors.putIfAbsent(t.name(), t) != null) {
                throw new IllegalArgumentException("two tensors are named " + t.name());
            }
            next = Math.addExact(next, t.size());
        }
        if (values != null && values.length != next) {
            throw new IllegalArgumentException("the tensors need " + next + " floats but the shared vector holds " + values.length);
        }
        this.values = values != null ? values : new float[next];
        this.gradients = new float[next];
    }

    /**
     * Parameters that share these values (every update shows in both) but have their own
     * gradients: what a model replica training on another thread accumulates into.
     */
    public Parameters sharingValues() {
        return new Parameters(tensors(), values);
    }

    /** The parameter values; the generated code reads them in place. */
    public float[] values() {
        return values;
    }

    /** The accumulated gradients, aligned with {@link #values()}. */
    public float[] gradients() {
        return gradients;
    }

    /** The number of parameters. */
    public int size() {
        return values.length;
    }

    /** The tensors in declaration order. */
    public List<ParameterTensor> tensors() {
        return List.copyOf(tensors.values());
    }

    /** The tensor with this name, such as {@code hidden.weight}. */
    public ParameterTensor tensor(String name) {
        ParameterTensor t = tensors.get(name);
        if (t == null) {
            throw new NoSuchElementException("no parameter tensor named '" + name + "'; the tensors are " + tensors.keySet());
        }
        return t;
    }

    /** A copy of one tensor's values. */
    public float[] get(String name) {
        ParameterTensor t = tensor(name);
        float[] copy = new float[t.size()];
        System.arraycopy(values, t.offset(), copy, 0, t.size());
        return copy;
    }

    /** A copy of one tensor's gradient. */
    public float[] gradient(String name) {
        ParameterTensor t = tensor(name);
        float[] copy = new float[t.size()];
        System.arraycopy(gradients, t.offset(), copy, 0, t.size());
        return copy;
    }

    /** Overwrites one tensor's values. */
    public void set(String name, float[] data) {
        ParameterTensor t = tensor(name);
        if (data.length != t.size()) {
            throw new IllegalArgumentException(t + " holds " + t.size() + " floats but " + data.length + " were given");
        }
        System.arraycopy(data, 0, values, t.offset(), t.size());
    }
}
