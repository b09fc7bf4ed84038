package dev.kiln.runtime;

/**
 * Chooses between a generated model's Vector API kernels and their scalar twins, once per JVM.
 *
 * <p>The vector kernels run when the {@code jdk.incubator.vector} module is present (the
 * {@code java} command needs {@code --add-modules jdk.incubator.vector}) and the preferred vector
 * has at most 16 float lanes (the kernels' tails are generated for that). Set the system property
 * {@code kiln.kernels=scalar} to force the scalar kernels, for example on a VM without the C2
 * compiler, where the Vector API is far slower than scalar code.
 */
public final class Kernels {
    /** The largest vector, in float lanes, the generated kernels are written for. */
    public static final int MAX_LANES = 16;

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
        return VECTORIZED ? Kind.VECTOR : Kind.SCALAR;
    }

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
        if (ModuleLayer.boot().findModule("jdk.incubator.vector").isEmpty()) {
            String advice = "Kiln: the jdk.incubator.vector module is not loaded, so models run their scalar kernels, "
                    + "several times slower. Add --add-modules jdk.incubator.vector to the java command "
                    + "(or -Dkiln.kernels=scalar to silence this).";
            if (setting.equals("vector")) {
                throw new IllegalStateException(advice);
            }
            System.err.println(advice);
            return false;
        }
        int lanes = VectorLanes.preferredFloatLanes();
        if (lanes > MAX_LANES) {
            System.err.println("Kiln: vectors of " + lanes + " floats are wider than the " + MAX_LANES
                    + " the kernels are generated for; using the scalar kernels.");
            return false;
        }
        return true;
    }

    /** Touches the Vector API only when the module is known to be present. */
    private static final class VectorLanes {
        static int preferredFloatLanes() {
            return jdk.incubator.vector.FloatVector.SPECIES_PREFERRED.length();
        }
    }
}
