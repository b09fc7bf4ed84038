package dev.kiln.processor.model;

import java.util.List;
import java.util.stream.Collectors;

/** The shape of one sample, without the batch dimension: {@code (784)} or {@code (28, 28, 1)}. */
public record Shape(List<Integer> dims) {
    public Shape {
        dims = List.copyOf(dims);
    }

    public static Shape of(int... dims) {
        return new Shape(java.util.Arrays.stream(dims).boxed().toList());
    }

    /** The number of floats in one sample. */
    public int size() {
        int n = 1;
        for (int d : dims) {
            n *= d;
        }
        return n;
    }

    public int rank() {
        return dims.size();
    }

    @Override
    public String toString() {
        return dims.stream().map(String::valueOf).collect(Collectors.joining(", ", "(", ")"));
    }
}
