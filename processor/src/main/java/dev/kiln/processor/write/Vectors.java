package dev.kiln.processor.write;

import com.palantir.javapoet.ClassName;

/** Names and small code pieces shared by the vector kernels. */
final class Vectors {
    static final ClassName FLOAT_VECTOR = ClassName.get("jdk.incubator.vector", "FloatVector");
    static final ClassName VECTOR_SPECIES = ClassName.get("jdk.incubator.vector", "VectorSpecies");
    static final ClassName VECTOR_OPERATORS = ClassName.get("jdk.incubator.vector", "VectorOperators");
    static final ClassName VECTOR_MASK = ClassName.get("jdk.incubator.vector", "VectorMask");

    /** The widest vector, in float lanes, whose tails the kernels leave out. */
    static final int MAX_LANES = 16;

    private Vectors() {
    }

    /** Whether a loop over {@code n} floats in steps of the vector length can have a scalar tail. */
    static boolean hasTail(int n) {
        return n % MAX_LANES != 0;
    }

    /** The end of the vector part of a loop over {@code n} floats: {@code n}, or {@code bound}. */
    static String bound(int n) {
        return hasTail(n) ? "bound" : String.valueOf(n);
    }
}
