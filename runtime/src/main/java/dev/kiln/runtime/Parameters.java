package dev.kiln.runtime;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;

/**
 * All parameters of a model in one flat vector, with a gradient vector of the same length. The
 * named tensors tile the vector without gaps, in declaration order, so optimizers see one
 * contiguous array. Inside it a tensor may be stored transposed for the generated kernels (see
 * {@link ParameterTensor#transposed()}); everything that names a tensor ({@link #get},
 * {@link #set}, {@link #gradient}, {@link #pytorchValues}) uses PyTorch's layout.
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

    /** A copy of one tensor's values, row-major in PyTorch's layout. */
    public float[] get(String name) {
        ParameterTensor t = tensor(name);
        float[] copy = new float[t.size()];
        t.exportTo(values, copy, 0);
        return copy;
    }

    /** A copy of one tensor's gradient, row-major in PyTorch's layout. */
    public float[] gradient(String name) {
        ParameterTensor t = tensor(name);
        float[] copy = new float[t.size()];
        t.exportTo(gradients, copy, 0);
        return copy;
    }

    /** Overwrites one tensor's values, given row-major in PyTorch's layout. */
    public void set(String name, float[] data) {
        ParameterTensor t = tensor(name);
        if (data.length != t.size()) {
            throw new IllegalArgumentException(t + " holds " + t.size() + " floats but " + data.length + " were given");
        }
        t.importFrom(data, 0, values);
    }

    /**
     * All values in PyTorch's layout: the tensors one after the other at their offsets, each
     * row-major as its shape says. This is the data section of a weight file.
     */
    public float[] pytorchValues() {
        float[] out = new float[values.length];
        for (ParameterTensor t : tensors.values()) {
            t.exportTo(values, out, t.offset());
        }
        return out;
    }

    /** Overwrites all values from {@code data}, laid out as {@link #pytorchValues()} returns them. */
    public void setPytorchValues(float[] data) {
        if (data.length != values.length) {
            throw new IllegalArgumentException("the parameters hold " + values.length + " floats but " + data.length + " were given");
        }
        for (ParameterTensor t : tensors.values()) {
            t.importFrom(data, t.offset(), values);
        }
    }
}
