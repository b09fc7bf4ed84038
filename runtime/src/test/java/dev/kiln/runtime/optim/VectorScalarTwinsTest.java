package dev.kiln.runtime.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.runtime.Kernels;
import dev.kiln.runtime.ParameterTensor;
import dev.kiln.runtime.Parameters;
import dev.kiln.runtime.SeededRandom;
import dev.kiln.runtime.testing.Lanes;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The vector kernels against their scalar twins on a vector long enough for several whole vectors
 * and a tail (1003 floats in two tensors). Both round every operation the same way, so the
 * optimizers must agree bit for bit.
 */
@Tag(Lanes.TAG)
class VectorScalarTwinsTest {
    private static final int SIZE = 1003;

    static Stream<Arguments> optimizers() {
        return Stream.<Function<Kernels.Kind, Optimizer>>of(
                k -> new Sgd(0.1).kernels(k),
                k -> new Sgd(0.05).momentum(0.9).dampening(0.1).weightDecay(0.01).kernels(k),
                k -> new Sgd(0.05).momentum(0.9).nesterov(true).kernels(k),
                k -> new RmsProp(0.01).kernels(k),
                k -> new RmsProp(0.01).alpha(0.3).weightDecay(0.1).momentum(0.5).centered(true).kernels(k),
                k -> new Adam(0.01).weightDecay(0.1).kernels(k),
                k -> new Adam(0.01).betas(0.2, 0.9).kernels(k),
                k -> new AdamW(0.01).kernels(k))
                .map(Arguments::of);
    }

    @ParameterizedTest
    @MethodSource("optimizers")
    void vectorAndScalarKernelsAgreeBitForBit(Function<Kernels.Kind, Optimizer> factory) {
        Parameters vector = parameters(1);
        Parameters scalar = parameters(1);
        Optimizer v = factory.apply(Kernels.Kind.VECTOR);
        Optimizer s = factory.apply(Kernels.Kind.SCALAR);
        SeededRandom random = new SeededRandom(2);
        for (int step = 0; step < 5; step++) {
            for (int i = 0; i < SIZE; i++) {
                float g = (float) random.nextGaussian();
                vector.gradients()[i] = g;
                scalar.gradients()[i] = g;
            }
            v.step(vector);
            s.step(scalar);
            assertArrayEquals(scalar.values(), vector.values(), v.getClass().getSimpleName() + " step " + step);
        }
        float[] start = parameters(1).values();
        int changed = 0;
        for (int i = 0; i < SIZE; i++) {
            changed += start[i] != vector.values()[i] ? 1 : 0;
        }
        assertEquals(SIZE, changed, "every parameter, tail included, must have moved");
    }

    /**
     * A step applied in ranges (cut inside whole vectors and anywhere, applied out of order, as
     * threads may) gives the bits of the whole step, on both kernels.
     */
    @ParameterizedTest
    @MethodSource("optimizers")
    void aStepInRangesEqualsTheWholeStep(Function<Kernels.Kind, Optimizer> factory) {
        for (Kernels.Kind kind : Kernels.Kind.values()) {
            Parameters whole = parameters(5);
            Parameters ranged = parameters(5);
            Optimizer w = factory.apply(kind);
            Optimizer r = factory.apply(kind);
            SeededRandom random = new SeededRandom(6);
            for (int step = 0; step < 4; step++) {
                for (int i = 0; i < SIZE; i++) {
                    float g = (float) random.nextGaussian();
                    whole.gradients()[i] = g;
                    ranged.gradients()[i] = g;
                }
                w.step(whole);
                assertTrue(r.beginStep(ranged));
                r.step(ranged, 500, SIZE);
                r.step(ranged, 3, 500);
                r.step(ranged, 0, 3);
                assertArrayEquals(whole.values(), ranged.values(), r.getClass().getSimpleName() + " " + kind + " step " + step);
            }
        }
    }

    @Test
    void clippingKernelsAgree() {
        Parameters vector = parameters(3);
        Parameters scalar = parameters(3);
        for (int i = 0; i < SIZE; i++) {
            vector.gradients()[i] = vector.values()[i] * 3;
            scalar.gradients()[i] = scalar.values()[i] * 3;
        }
        float nv = new GradientNormClipping(0.5).kernels(Kernels.Kind.VECTOR).clip(vector);
        float ns = new GradientNormClipping(0.5).kernels(Kernels.Kind.SCALAR).clip(scalar);
        assertEquals(ns, nv, 2 * Math.ulp(ns), "norms of the vector and scalar kernels");
        double sum = 0;
        for (int i = 0; i < SIZE; i++) {
            assertEquals(scalar.gradients()[i], vector.gradients()[i], 4 * Math.ulp(scalar.gradients()[i]), "gradient " + i);
            sum += (double) vector.gradients()[i] * vector.gradients()[i];
        }
        assertEquals(0.5, Math.sqrt(sum), 1e-5, "the clipped norm");
        assertTrue(ns > 0.5, "the test needs a norm above the maximum");
    }

    /**
     * The vector sum of squares adds its lanes in a fixed order, so it gives the same bits
     * interpreted, compiled by C1 and by C2 (whose {@code reduceLanes} adds them in another order):
     * called until C2 has compiled it, it always equals a scalar replay of that order.
     */
    @Test
    void theVectorSumOfSquaresDoesNotDependOnTheJit() {
        float[] g = parameters(4).values();
        double expected = replayedSumOfSquares(g, dev.kiln.runtime.Kernels.lanes());
        for (int call = 0; call < 30_000; call++) {
            double sum = GradientNormClippingVector.sumOfSquares(g, 0, g.length);
            if (sum != expected) {
                assertEquals(expected, sum, "call " + call);
            }
        }
    }

    /** GradientNormClippingVector.sumOfSquares in scalar code: 4 accumulators of lanes, lanes in order, the tail. */
    private static double replayedSumOfSquares(float[] g, int lanes) {
        float[][] acc = new float[4][lanes];
        int bound4 = g.length / (4 * lanes) * (4 * lanes);
        int i = 0;
        for (; i < bound4; i += 4 * lanes) {
            for (int a = 0; a < 4; a++) {
                for (int l = 0; l < lanes; l++) {
                    float x = g[i + a * lanes + l];
                    acc[a][l] = Math.fma(x, x, acc[a][l]);
                }
            }
        }
        for (; i + lanes <= g.length; i += lanes) {
            for (int l = 0; l < lanes; l++) {
                acc[0][l] = Math.fma(g[i + l], g[i + l], acc[0][l]);
            }
        }
        double sum = 0;
        for (int l = 0; l < lanes; l++) {
            sum += (acc[0][l] + acc[1][l]) + (acc[2][l] + acc[3][l]);
        }
        double tail = 0;
        for (; i < g.length; i++) {
            tail += (double) g[i] * g[i];
        }
        return sum + tail;
    }

    private static Parameters parameters(long seed) {
        Parameters p = new Parameters(List.of(new ParameterTensor("a.weight", 0, 40, 25), new ParameterTensor("a.bias", 1000, 3)));
        SeededRandom random = new SeededRandom(seed);
        for (int i = 0; i < SIZE; i++) {
            p.values()[i] = (float) random.nextGaussian();
        }
        return p;
    }
}
