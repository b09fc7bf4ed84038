package dev.kiln.runtime;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** {@code -Dkiln.vectorBits} and {@code -Dkiln.kernels} choose the kernels once per JVM, in a child JVM each. */
class KernelsTest {

    /** Run in the child JVM: prints what Kernels chose. */
    public static void main(String[] args) {
        System.out.println("lanes " + Kernels.lanes() + " vectorized " + Kernels.vectorized() + " species "
                + (Kernels.lanes() > 0 ? VectorWidth.SPECIES.length() : 0));
    }

    private static String run(boolean vectorModule, String... properties) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java")));
        if (vectorModule) {
            command.addAll(List.of("--add-modules", "jdk.incubator.vector"));
        }
        command.addAll(List.of(properties));
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), KernelsTest.class.getName()));
        Process child = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(child.waitFor(1, TimeUnit.MINUTES), "the child JVM did not end");
        return output;
    }

    @Test
    void vectorBitsSetsTheLanesOfEveryVectorKernel() throws IOException, InterruptedException {
        assertTrue(run(true, "-Dkiln.vectorBits=128").contains("lanes 4 vectorized true species 4"));
        assertTrue(run(true, "-Dkiln.vectorBits=256").contains("lanes 8 vectorized true species 8"));
        assertTrue(run(true, "-Dkiln.vectorBits=512").contains("lanes 16 vectorized true species 16"));
    }

    @Test
    void scalarKernelsKeepTheWidthForModelsThatAskForVectors() throws IOException, InterruptedException {
        assertTrue(run(true, "-Dkiln.kernels=scalar", "-Dkiln.vectorBits=128").contains("lanes 4 vectorized false"));
    }

    @Test
    void anOtherWidthIsRefusedWithTheChoices() throws IOException, InterruptedException {
        String output = run(true, "-Dkiln.vectorBits=64");
        assertTrue(output.contains("-Dkiln.vectorBits=64 is not a choice; use 128, 256 or 512 (4, 8 or 16 float lanes)"), output);
    }

    @Test
    void aWidthWithoutTheVectorModuleNamesTheFlag() throws IOException, InterruptedException {
        String output = run(false, "-Dkiln.vectorBits=256");
        assertTrue(output.contains("Add --add-modules jdk.incubator.vector to the java command"), output);
        assertTrue(run(false).contains("lanes 0 vectorized false species 0"), "without the module: scalar kernels");
    }
}
