package dev.kiln.runtime.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.runtime.Kernels;
import dev.kiln.runtime.ParameterTensor;
import dev.kiln.runtime.Parameters;
import dev.kiln.runtime.SeededRandom;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The vector kernels against their scalar twins on a vector long enough for several whole vectors
 * and a tail (1003 floats in two tensors). Both round every operation the same way, so the
 * optimizers must agree bit for bit.
 */
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

    private static Parameters parameters(long seed) {
        Parameters p = new Parameters(List.of(new ParameterTensor("a.weight", 0, 40, 25), new ParameterTensor("a.bias", 1000, 3)));
        SeededRandom random = new SeededRandom(seed);
        for (int i = 0; i < SIZE; i++) {
            p.values()[i] = (float) random.nextGaussian();
        }
        return p;
    }
}
