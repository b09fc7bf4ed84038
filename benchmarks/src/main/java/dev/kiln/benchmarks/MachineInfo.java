package dev.kiln.benchmarks;

import dev.kiln.runtime.Kernels;

/**
 * Prints the JVM and vector facts a benchmark run depends on, as one JSON object, for compare.sh:
 * {@code java --add-modules jdk.incubator.vector -cp benchmarks.jar dev.kiln.benchmarks.MachineInfo}.
 */
public final class MachineInfo {
    private MachineInfo() {
    }

    public static void main(String[] args) {
        boolean vectorModule = ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent();
        String species = vectorModule ? Species.preferred() : "none (jdk.incubator.vector not loaded)";
        int lanes = vectorModule ? Species.lanes() : 0;
        System.out.printf("{\"java_version\": \"%s\", \"java_vm\": \"%s %s\", \"java_home\": \"%s\", \"processors\": %d,"
                + " \"float_species\": \"%s\", \"float_lanes\": %d, \"kiln_kernels\": \"%s\", \"onnxruntime_java\": \"%s\"}%n",
                System.getProperty("java.version"), System.getProperty("java.vm.name"), System.getProperty("java.vm.version"),
                System.getProperty("java.home"), Runtime.getRuntime().availableProcessors(), species, lanes, Kernels.preferred(),
                onnxRuntimeVersion());
    }

    /** The version ONNX Runtime reports (loads its native library), or "?" if it cannot load. */
    private static String onnxRuntimeVersion() {
        try {
            return ai.onnxruntime.OrtEnvironment.getEnvironment().getVersion();
        } catch (Throwable e) {
            return "? (" + e.getClass().getSimpleName() + ")";
        }
    }

    /** Touches the Vector API only when the module is present. */
    private static final class Species {
        static String preferred() {
            return jdk.incubator.vector.FloatVector.SPECIES_PREFERRED.toString();
        }

        static int lanes() {
            return jdk.incubator.vector.FloatVector.SPECIES_PREFERRED.length();
        }
    }
}
