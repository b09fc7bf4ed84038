package dev.kiln.processor;

import static com.google.testing.compile.CompilationSubject.assertThat;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.testing.compile.Compilation;
import dev.kiln.annotations.Activation;
import dev.kiln.annotations.Loss;
import dev.kiln.runtime.Kernels;
import dev.kiln.runtime.Model;
import dev.kiln.runtime.SeededRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import javax.tools.JavaFileObject;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The gradients of every activation and loss combination match central finite differences: of
 * the loss with respect to every parameter and input, and of {@code sum(c * output)} through
 * {@code backward(outputGradient)}. One network per combination: Dense(6, hidden) -> Dense(4, last).
 */
class GradientCheckTest {
    private static final int INPUT = 5;
    private static final int BATCH = 3;
    private static final Activation[] HIDDEN = {Activation.LINEAR, Activation.RELU, Activation.LEAKY_RELU, Activation.SIGMOID, Activation.TANH};

    private static ClassLoader loader;

    static Stream<Arguments> networks() {
        List<Arguments> all = new ArrayList<>();
        for (Loss loss : Loss.values()) {
            for (Activation hidden : HIDDEN) {
                for (Activation last : lastActivations(loss)) {
                    all.add(Arguments.of(loss, hidden, last));
                }
            }
        }
        return all.stream();
    }

    static List<Activation> lastActivations(Loss loss) {
        return switch (loss) {
            case MSE -> List.of(Activation.values());
            case BINARY_CROSS_ENTROPY -> List.of(Activation.LINEAR, Activation.SIGMOID);
            case SOFTMAX_CROSS_ENTROPY, SPARSE_SOFTMAX_CROSS_ENTROPY -> List.of(Activation.LINEAR, Activation.SOFTMAX);
        };
    }

    static String className(Loss loss, Activation hidden, Activation last) {
        return "Net_" + loss + "_" + hidden + "_" + last;
    }

    @BeforeAll
    static void compile() {
        List<JavaFileObject> sources = new ArrayList<>();
        networks().forEach(a -> {
            Loss loss = (Loss) a.get()[0];
            Activation hidden = (Activation) a.get()[1];
            Activation last = (Activation) a.get()[2];
            String name = className(loss, hidden, last);
            String slope = hidden == Activation.LEAKY_RELU ? ", negativeSlope = 0.1f" : "";
            sources.add(Compiler.source("dev.kiln.test." + name,
                    "package dev.kiln.test;",
                    "import dev.kiln.annotations.*;",
                    "import dev.kiln.runtime.Layer;",
                    "@Network(input = " + INPUT + ", loss = Loss." + loss + ")",
                    "abstract class " + name + " {",
                    "    @Dense(units = 6, activation = Activation." + hidden + slope + ") Layer hidden;",
                    "    @Dense(units = 4, activation = Activation." + last + ") Layer out;",
                    "}"));
        });
        Compilation compilation = Compiler.compile(sources.toArray(JavaFileObject[]::new));
        assertThat(compilation).succeededWithoutWarnings();
        loader = Compiler.loader(compilation);
    }

    @ParameterizedTest(name = "{0} {1} {2}")
    @MethodSource("networks")
    void lossGradientsMatchFiniteDifferences(Loss loss, Activation hidden, Activation last) {
        for (Kernels.Kind kernels : Kernels.Kind.values()) {
            Model model = Compiler.newModel(loader, "dev.kiln.test." + className(loss, hidden, last) + "Model", 7, kernels);
            SeededRandom random = new SeededRandom(11);
            float[] x = values(random, BATCH * INPUT, 1f);
            float[] targets = targets(loss, model, random);
            float[] weights = {0.5f, 1f, 2f};

            model.zeroGrad();
            model.forward(x, 0, BATCH);
            model.loss(targets, 0, weights);
            float[] inputGradient = model.backward().clone();
            float[] gradients = model.parameters().gradients().clone();

            Objective objective = () -> {
                model.forward(x, 0, BATCH);
                return model.loss(targets, 0, weights);
            };
            checkAll(model.parameters().values(), gradients, objective, "parameter", kernels);
            checkAll(x, inputGradient, objective, "input", kernels);
        }
    }

    @ParameterizedTest(name = "{0} {1} {2}")
    @MethodSource("networks")
    void outputGradientsMatchFiniteDifferences(Loss loss, Activation hidden, Activation last) {
        Model model = Compiler.newModel(loader, "dev.kiln.test." + className(loss, hidden, last) + "Model", 3, Kernels.Kind.VECTOR);
        SeededRandom random = new SeededRandom(5);
        float[] x = values(random, BATCH * INPUT, 1f);
        float[] c = values(random, BATCH * model.outputSize(), 1f);

        model.zeroGrad();
        model.forward(x, 0, BATCH);
        float[] inputGradient = model.backward(c, 0).clone();
        float[] gradients = model.parameters().gradients().clone();

        Objective objective = () -> {
            float[] y = model.forward(x, 0, BATCH);
            double sum = 0;
            for (int i = 0; i < c.length; i++) {
                sum += c[i] * y[i];
            }
            return sum;
        };
        checkAll(model.parameters().values(), gradients, objective, "parameter", Kernels.Kind.VECTOR);
        checkAll(x, inputGradient, objective, "input", Kernels.Kind.VECTOR);
    }

    interface Objective {
        double value();
    }

    /**
     * Compares each analytic gradient with (f(v + h) - f(v - h)) / 2h. A perturbation can cross a
     * ReLU kink, so a mismatch is retried with a smaller h before it counts.
     */
    static void checkAll(float[] values, float[] analytic, Objective f, String what, Kernels.Kind kernels) {
        for (int i = 0; i < values.length; i++) {
            double worst = Double.NaN;
            boolean ok = false;
            for (float h : new float[] {1e-2f, 1e-3f, 3e-4f}) {
                float saved = values[i];
                values[i] = saved + h;
                double plus = f.value();
                values[i] = saved - h;
                double minus = f.value();
                values[i] = saved;
                double numeric = (plus - minus) / (2 * h);
                double error = Math.abs(numeric - analytic[i]);
                double allowed = 2e-3 * Math.max(Math.abs(numeric), Math.abs(analytic[i])) + 5e-4;
                if (error <= allowed) {
                    ok = true;
                    break;
                }
                worst = numeric;
            }
            assertTrue(ok, String.format(Locale.ROOT, "%s %s %d: analytic %.6g but finite difference %.6g (%s kernels)",
                    what, what.equals("input") ? "element" : "index", i, analytic[i], worst, kernels));
        }
    }

    static float[] values(SeededRandom random, int n, float scale) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (2 * random.nextFloat() - 1) * scale;
        }
        return v;
    }

    static float[] targets(Loss loss, Model model, SeededRandom random) {
        int classes = model.outputSize();
        float[] t = new float[BATCH * model.targetSize()];
        switch (loss) {
            case MSE -> {
                for (int i = 0; i < t.length; i++) {
                    t[i] = random.nextFloat();
                }
            }
            case BINARY_CROSS_ENTROPY -> {
                for (int i = 0; i < t.length; i++) {
                    t[i] = i % 5 == 0 ? 0.3f : random.nextInt(2);
                }
            }
            case SOFTMAX_CROSS_ENTROPY -> {
                for (int r = 0; r < BATCH; r++) {
                    float sum = 0;
                    for (int j = 0; j < classes; j++) {
                        t[r * classes + j] = random.nextFloat();
                        sum += t[r * classes + j];
                    }
                    for (int j = 0; j < classes; j++) {
                        t[r * classes + j] /= sum;
                    }
                }
            }
            case SPARSE_SOFTMAX_CROSS_ENTROPY -> {
                for (int r = 0; r < BATCH; r++) {
                    t[r] = random.nextInt(classes);
                }
            }
        }
        return t;
    }
}
