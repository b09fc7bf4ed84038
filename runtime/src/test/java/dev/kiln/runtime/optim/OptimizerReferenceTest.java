package dev.kiln.runtime.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.runtime.Kernels;
import dev.kiln.runtime.ParameterTensor;
import dev.kiln.runtime.Parameters;
import dev.kiln.runtime.testing.Lanes;
import dev.kiln.runtime.testing.ReferenceFile;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Replays the gradients recorded by {@code tools/reference/record_optimizers.py} and compares the
 * parameters after every step with PyTorch's, for both the vector and the scalar kernels. The
 * hyperparameters repeat those of the script's {@code CASES}.
 */
@Tag(Lanes.TAG)
class OptimizerReferenceTest {
    /**
     * About eight float32 ulps of a value near 1. SGD matches PyTorch bit for bit. Adam and RMSprop
     * cannot: PyTorch's CPU float {@code sqrt} is faithful but not correctly rounded (about one
     * result in six is the other neighbour of the exact root), while Java's is correctly rounded;
     * a one-ulp difference in {@code sqrt(v)} moves the update by one ulp, and eight steps of
     * momentum carry it along. The largest measured difference is 9.1e-7, in centered RMSprop.
     */
    private static final double TOLERANCE = 1e-6;
    /**
     * Parameters smaller than this are compared absolutely, to {@code TOLERANCE * FLOOR}: a value
     * that passes near zero keeps the rounding error of the O(0.1) updates it was summed from, which
     * no relative bound on the tiny result can express. (No recorded parameter is that small
     * today; the floor keeps a re-recording from failing for that reason alone.)
     */
    private static final double FLOOR = 1e-3;
    private static final int STEPS = 8;
    private static final String[] TENSORS = {"w", "b", "v"};

    static Stream<Arguments> cases() {
        return Stream.of(
                optimizer("sgd", k -> new Sgd(0.1).kernels(k)),
                optimizer("sgd_momentum", k -> new Sgd(0.05).momentum(0.9).dampening(0.1).kernels(k)),
                optimizer("sgd_nesterov", k -> new Sgd(0.05).momentum(0.9).nesterov(true).weightDecay(0.01).kernels(k)),
                optimizer("rmsprop", k -> new RmsProp(0.01).alpha(0.99).eps(1e-8).kernels(k)),
                optimizer("rmsprop_centered",
                        k -> new RmsProp(0.01).alpha(0.9).eps(1e-6).weightDecay(0.01).momentum(0.9).centered(true).kernels(k)),
                optimizer("adam", k -> new Adam(0.01).kernels(k)),
                optimizer("adam_weight_decay", k -> new Adam(0.01).betas(0.8, 0.95).eps(1e-6).weightDecay(0.1).kernels(k)),
                optimizer("adam_large_beta1_weight", k -> new Adam(0.02).betas(0.3, 0.9).kernels(k)),
                optimizer("adamw", k -> new AdamW(0.01).weightDecay(0.05).kernels(k)))
                .flatMap(OptimizerReferenceTest::bothKernels);
    }

    private static Arguments optimizer(String name, Function<Kernels.Kind, Optimizer> factory) {
        return Arguments.of(name, factory);
    }

    private static Stream<Arguments> bothKernels(Arguments a) {
        return Stream.of(Kernels.Kind.VECTOR, Kernels.Kind.SCALAR)
                .map(kind -> Arguments.of(a.get()[0], kind, a.get()[1]));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("cases")
    void followsPyTorch(String name, Kernels.Kind kind, Function<Kernels.Kind, Optimizer> factory) {
        replay(name, kind, factory.apply(kind), null, null);
    }

    @ParameterizedTest(name = "clip_norm {0}")
    @MethodSource("kinds")
    void clipsLikeClipGradNorm(Kernels.Kind kind) {
        replay("clip_norm", kind, new Sgd(0.1).momentum(0.9).kernels(kind), new GradientNormClipping(1.0).kernels(kind), null);
    }

    @ParameterizedTest(name = "step_lr {0}")
    @MethodSource("kinds")
    void stepDecayFollowsStepLR(Kernels.Kind kind) {
        replay("step_lr", kind, new Sgd(0.1).momentum(0.9).kernels(kind), null, new StepDecay(3, 0.5));
    }

    @ParameterizedTest(name = "cosine_lr {0}")
    @MethodSource("kinds")
    void cosineAnnealingFollowsCosineAnnealingLR(Kernels.Kind kind) {
        replay("cosine_lr", kind, new Adam(0.05).kernels(kind), null, new CosineAnnealing(3, 0.001));
    }

    static Stream<Kernels.Kind> kinds() {
        return Stream.of(Kernels.Kind.VECTOR, Kernels.Kind.SCALAR);
    }

    /** Three tensors, 50 floats, shaped as in the script's {@code SHAPES}. */
    static Parameters parameters() {
        return new Parameters(List.of(new ParameterTensor("w", 0, 6, 4), new ParameterTensor("b", 24, 6),
                new ParameterTensor("v", 30, 4, 5)));
    }

    private static void replay(String name, Kernels.Kind kind, Optimizer optimizer, GradientNormClipping clipping,
            LearningRateSchedule schedule) {
        ReferenceFile ref = ReferenceFile.resource("/reference/optim_" + name + ".ref");
        Parameters p = parameters();
        for (String t : TENSORS) {
            p.set(t, ref.get("init." + t));
        }
        double initial = optimizer.learningRate();
        double rate = initial;
        double worst = 0;
        for (int step = 1; step <= STEPS; step++) {
            String prefix = "step" + step + ".";
            if (schedule != null) {
                rate = schedule.learningRate(step - 1, rate, initial);
                optimizer.learningRate(rate);
                assertEquals(ref.scalar(prefix + "lr"), (float) rate, Math.ulp(ref.scalar(prefix + "lr")),
                        name + ": learning rate of step " + step);
            }
            for (String t : TENSORS) {
                float[] g = ref.get(prefix + "grad." + t);
                System.arraycopy(g, 0, p.gradients(), p.tensor(t).offset(), g.length);
            }
            if (clipping != null) {
                float norm = clipping.clip(p);
                double diff = Math.abs(norm - ref.scalar(prefix + "norm")) / ref.scalar(prefix + "norm");
                assertTrue(diff <= TOLERANCE, name + " " + kind + ": norm of step " + step + " is " + norm + ", PyTorch's "
                        + ref.scalar(prefix + "norm") + ", relative difference " + diff);
                worst = Math.max(worst, diff);
            }
            optimizer.step(p);
            for (String t : TENSORS) {
                double diff = ReferenceFile.maxRelativeDifference(p.get(t), ref.get(prefix + "param." + t), FLOOR);
                assertTrue(diff <= TOLERANCE, name + " " + kind + ": tensor " + t + " after step " + step
                        + " differs from PyTorch by a relative " + diff + " (tolerance " + TOLERANCE + ", floor " + FLOOR + ")");
                worst = Math.max(worst, diff);
            }
        }
        System.out.printf("optim_%s %s: max relative difference %.3g over %d steps%n", name, kind, worst, STEPS);
    }
}
