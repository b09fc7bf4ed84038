package dev.kiln.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.kiln.runtime.Kernels;
import dev.kiln.runtime.Model;
import dev.kiln.runtime.SeededRandom;
import dev.kiln.runtime.optim.Adam;
import dev.kiln.runtime.testing.Lanes;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The vector kernels give the same bits whichever JIT tier runs them: a few training steps in a
 * JVM that only interprets ({@code -Xint}) end with exactly the weights this JVM reaches after C2
 * has compiled the kernels, at the same vector width. This is what makes "the same seed gives the
 * same weights" hold.
 */
@Tag(Lanes.TAG)
class JitTierDeterminismTest {

    /** Trains {@link DigitsMlp} for a few Adam steps on fixed data; returns a hash of the weights' bits. */
    static long trainedWeightsHash() {
        Model model = new DigitsMlpModel(3, Kernels.Kind.VECTOR);
        SeededRandom random = new SeededRandom(8);
        int batch = 13;
        float[] x = new float[batch * 64];
        float[] labels = new float[batch];
        for (int i = 0; i < x.length; i++) {
            x[i] = random.nextFloat();
        }
        for (int r = 0; r < batch; r++) {
            labels[r] = random.nextInt(10);
        }
        Adam adam = new Adam(1e-2);
        for (int step = 0; step < 5; step++) {
            model.zeroGrad();
            model.forward(x, 0, batch);
            model.loss(labels, 0);
            model.backward();
            adam.step(model.parameters());
        }
        float[] one = new float[10];
        model.predict(Arrays.copyOf(x, 64), one);
        long hash = 17;
        for (float v : model.parameters().values()) {
            hash = hash * 31 + Float.floatToRawIntBits(v);
        }
        for (float v : one) {
            hash = hash * 31 + Float.floatToRawIntBits(v);
        }
        return hash;
    }

    /** Run in the child JVM. */
    public static void main(String[] args) {
        System.out.println("hash " + trainedWeightsHash());
    }

    @Test
    void interpretedAndCompiledKernelsAgreeBitForBit() throws IOException, InterruptedException {
        long compiled = 0;
        for (int i = 0; i < 400; i++) {
            compiled = trainedWeightsHash();
        }
        String java = ProcessHandle.current().info().command().orElse("java");
        Process child = new ProcessBuilder(List.of(java, "-Xint", "--add-modules", "jdk.incubator.vector",
                "-Dkiln.vectorBits=" + Kernels.lanes() * Float.SIZE,
                "-cp", System.getProperty("java.class.path"), JitTierDeterminismTest.class.getName()))
                .redirectErrorStream(true).start();
        String output = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        child.waitFor(2, TimeUnit.MINUTES);
        String line = output.lines().filter(l -> l.startsWith("hash ")).findFirst()
                .orElseThrow(() -> new AssertionError("the -Xint JVM printed no hash:\n" + output));
        assertEquals("hash " + compiled, line, "interpreted (-Xint) and C2-compiled kernels trained to different weights");
    }
}
