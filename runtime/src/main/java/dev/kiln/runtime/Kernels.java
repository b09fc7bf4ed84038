package dev.kiln.runtime;

/**
 * Chooses between a generated model's Vector API kernels and their scalar twins, and the width of
 * the vectors, once per JVM.
 *
 * <p>The vector kernels run when the {@code jdk.incubator.vector} module is present (the
 * {@code java} command needs {@code --add-modules jdk.incubator.vector}) and the vector has at
 * most 16 float lanes (the kernels' tails are generated for that). Two system properties change
 * the choice:
 * <ul>
 *   <li>{@code -Dkiln.kernels=scalar} forces the scalar kernels, for example on a VM without the C2
 *       compiler, where the Vector API is far slower than scalar code ({@code vector} requires the
 *       vector kernels; {@code auto}, the default, uses them when the module is there);
 *   <li>{@code -Dkiln.vectorBits=128}, {@code 256} or {@code 512} sets the vector width: 4, 8 or
 *       16 float lanes. By default it is the CPU's preferred width (256 bits with AVX2, 512 with
 *       AVX-512). A width the CPU has no registers for runs correctly but many times slower; the
 *       tests use it to run every lane count's kernels on any machine.
 * </ul>
 *
 * <h2>What is bit-identical</h2>
 * The vector kernels sum in a fixed order and every lane sum is written out pairwise, so their
 * results depend only on the data, the lane count and the kernel kind: the same seed, lane count,
 * kernel kind and {@linkplain dev.kiln.runtime.train.FitOptions#shards shards} give the same bits
 * on every x86 machine, whatever the JIT tier or the number of threads. The scalar kernels give
 * the same bits everywhere. Results differ, by float rounding (about 1e-6 relative), between lane
 * counts, between vector and scalar kernels, and between shard counts: {@code -Dkiln.vectorBits=256}
 * on an AVX-512 machine reproduces an AVX2 machine's weights exactly.
 */
public final class Kernels {
    /** The largest vector, in float lanes, the generated kernels are written for. */
    public static final int MAX_LANES = 16;

    /** The width of the vector kernels, whether or not they are the default; 0 without the module. */
    private static final int LANES = lanesOfThisJvm();
    private static final boolean VECTORIZED = choose();

    private Kernels() {
    }

    /** The two implementations every generated kernel has. */
    public enum Kind {
        /** {@code jdk.incubator.vector} kernels. */
        VECTOR,
        /** Plain Java loops with the same signatures. */
        SCALAR
    }

    /** Whether generated models use their vector kernels. */
    public static boolean vectorized() {
        return VECTORIZED;
    }

    /** The kernels generated models use unless told otherwise. */
    public static Kind preferred() {
        return vectorized() ? Kind.VECTOR : Kind.SCALAR;
    }

    /**
     * The float lanes of the vector kernels (4, 8 or 16), as {@code kiln.vectorBits} or the CPU
     * decides, or 0 when the {@code jdk.incubator.vector} module is not loaded. The vector kernels
     * of models and optimizers all use this width, also when they are asked for explicitly
     * ({@link Kind#VECTOR}) while {@link #preferred()} is scalar.
     */
    public static int lanes() {
        return LANES;
    }

    private static boolean moduleLoaded() {
        return ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent();
    }

    /** The requested width, else the CPU's preferred one if the kernels have tails for it, else 16 lanes. */
    private static int lanesOfThisJvm() {
        int requested = requestedLanes();
        if (!moduleLoaded()) {
            return 0;
        }
        int preferred = VectorLanes.preferredFloatLanes();
        if (requested > preferred) {
            System.err.println("Kiln: -Dkiln.vectorBits=" + requested * Float.SIZE + " is wider than this CPU's " + preferred * Float.SIZE
                    + "-bit vectors; the vector kernels give the same results, many times slower.");
        }
        return requested > 0 ? requested : Math.min(preferred, MAX_LANES);
    }

    /** Whether the vector kernels are the default, from the system properties and the JVM. */
    private static boolean choose() {
        String setting = System.getProperty("kiln.kernels", "auto");
        switch (setting) {
            case "scalar":
                return false;
            case "auto":
            case "vector":
                break;
            default:
                throw new IllegalArgumentException("-Dkiln.kernels=" + setting + " is not a choice; use vector, scalar or auto");
        }
        if (!moduleLoaded()) {
            String advice = "Kiln: the jdk.incubator.vector module is not loaded, so models run their scalar kernels, "
                    + "several times slower. Add --add-modules jdk.incubator.vector to the java command "
                    + "(or -Dkiln.kernels=scalar to silence this).";
            if (setting.equals("vector") || requestedLanes() > 0) {
                throw new IllegalStateException(advice);
            }
            System.err.println(advice);
            return false;
        }
        int preferred = VectorLanes.preferredFloatLanes();
        if (requestedLanes() == 0 && preferred > MAX_LANES) {
            System.err.println("Kiln: vectors of " + preferred + " floats are wider than the " + MAX_LANES
                    + " the kernels are generated for; using the scalar kernels (or set -Dkiln.vectorBits=512).");
            return false;
        }
        return true;
    }

    /** The lanes {@code kiln.vectorBits} asks for, or 0 when it is not set. */
    private static int requestedLanes() {
        String bits = System.getProperty("kiln.vectorBits", "");
        return switch (bits) {
            case "" -> 0;
            case "128" -> 4;
            case "256" -> 8;
            case "512" -> 16;
            default -> throw new IllegalArgumentException("-Dkiln.vectorBits=" + bits + " is not a choice; use 128, 256 or 512 "
                    + "(4, 8 or 16 float lanes), or leave it out for the CPU's preferred width");
        };
    }

    /** Touches the Vector API only when the module is known to be present. */
    private static final class VectorLanes {
        static int preferredFloatLanes() {
            return jdk.incubator.vector.FloatVector.SPECIES_PREFERRED.length();
        }
    }
}
