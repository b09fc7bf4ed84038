package dev.kiln.runtime;

import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * The float species every vector kernel uses, generated or in the runtime: {@link Kernels#lanes()}
 * lanes. A constant once loaded, so C2 compiles the kernels for exactly this width. Loaded only by
 * vector kernels, so a JVM without {@code jdk.incubator.vector} never touches it.
 */
public final class VectorWidth {
    /** The species of {@link Kernels#lanes()} floats. */
    public static final VectorSpecies<Float> SPECIES = species();

    private VectorWidth() {
    }

    private static VectorSpecies<Float> species() {
        return VectorSpecies.of(float.class, VectorShape.forBitSize(Kernels.lanes() * Float.SIZE));
    }
}
