package dev.kiln.processor;

import static com.google.testing.compile.CompilationSubject.assertThat;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.testing.compile.Compilation;
import dev.kiln.annotations.Activation;
import dev.kiln.annotations.Loss;
import dev.kiln.runtime.Kernels;
import dev.kiln.runtime.Model;
import dev.kiln.runtime.SeededRandom;
import dev.kiln.runtime.testing.Lanes;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import javax.tools.JavaFileObject;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The gradients of every activation and loss combination match central finite differences: of
 * the loss with respect to every parameter and input, and of {@code sum(c * output)} through
 * {@code backward(outputGradient)}. One network per combination: Dense(6, hidden) -> Dense(4, last).
 * Convolutional networks combine VALID and SAME convolutions of stride 1 and 2, max and average
 * pooling with and without padding and overlap, a pooling layer first, and outputs that are
 * images or end in Flatten.
 */
@Tag(Lanes.TAG)
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

    /** Convolutional networks: class name, input, loss, layer declarations. */
    private static final String[][] CONVOLUTIONAL = {
        {"ConvMax", "{6, 5, 2}", "SPARSE_SOFTMAX_CROSS_ENTROPY",
            "@Conv2D(filters = 3, kernel = 3, activation = Activation.RELU) Layer conv;",
            "@MaxPooling2D Layer pool;", "@Flatten Layer flat;", "@Dense(units = 3) Layer out;"},
        {"ConvStrideAvg", "{7, 6, 3}", "SOFTMAX_CROSS_ENTROPY",
            "@Conv2D(filters = 4, kernel = 3, stride = 2, padding = Padding.SAME, activation = Activation.TANH) Layer conv;",
            "@AveragePooling2D(padding = Padding.SAME) Layer pool;", "@Flatten Layer flat;",
            "@Dense(units = 3, activation = Activation.SOFTMAX) Layer out;"},
        {"TwoConvs", "{6, 6, 2}", "MSE",
            "@Conv2D(filters = 3, kernel = 2, padding = Padding.SAME, activation = Activation.LEAKY_RELU, negativeSlope = 0.1f) Layer conv1;",
            "@MaxPooling2D(pool = 3, stride = 1, padding = Padding.SAME) Layer pool;",
            "@Conv2D(filters = 2, kernel = {3, 2}, stride = {2, 1}, bias = false, activation = Activation.SIGMOID) Layer conv2;",
            "@Flatten Layer flat;", "@Dense(units = 2) Layer out;"},
        {"PoolThenConv", "{7, 7, 2}", "BINARY_CROSS_ENTROPY",
            "@AveragePooling2D(pool = 2, stride = 1) Layer pool1;",
            "@Conv2D(filters = 3, kernel = {2, 3}, stride = {1, 2}) Layer conv;",
            "@MaxPooling2D(pool = {2, 1}) Layer pool2;", "@Flatten Layer flat;",
            "@Dense(units = 2, activation = Activation.SIGMOID) Layer out;"},
        {"MaxFirst", "{7, 7, 2}", "SPARSE_SOFTMAX_CROSS_ENTROPY",
            "@MaxPooling2D(pool = 3, stride = 2) Layer pool;", "@Flatten Layer flat;", "@Dense(units = 3) Layer out;"},
        {"ImageOut", "{5, 5, 2}", "MSE",
            "@Conv2D(filters = 3, kernel = 3, padding = Padding.SAME, activation = Activation.TANH) Layer conv1;",
            "@Conv2D(filters = 2, kernel = 2, activation = Activation.SIGMOID) Layer conv2;"},
        {"FlattenLast", "{5, 4, 2}", "MSE",
            "@Conv2D(filters = 2, kernel = 2, activation = Activation.RELU) Layer conv;",
            "@AveragePooling2D(pool = 2, stride = 1) Layer pool;", "@Flatten Layer flat;"},
    };

    static Stream<Arguments> convolutional() {
        return Stream.of(CONVOLUTIONAL).map(c -> Arguments.of(c[0], Loss.valueOf(c[2])));
    }

    @BeforeAll
    static void compile() {
        List<JavaFileObject> sources = new ArrayList<>();
        for (String[] network : CONVOLUTIONAL) {
            List<String> lines = new ArrayList<>(List.of(
                    "package dev.kiln.test;",
                    "import dev.kiln.annotations.*;",
                    "import dev.kiln.runtime.Layer;",
                    "@Network(input = " + network[1] + ", loss = Loss." + network[2] + ")",
                    "abstract class " + network[0] + " {"));
            for (int i = 3; i < network.length; i++) {
                lines.add("    " + network[i]);
            }
            lines.add("}");
            sources.add(Compiler.source("dev.kiln.test." + network[0], lines.toArray(String[]::new)));
        }
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

    @ParameterizedTest(name = "{0}")
    @MethodSource("convolutional")
    void convolutionalGradientsMatchFiniteDifferences(String network, Loss loss) {
        for (Kernels.Kind kernels : Kernels.Kind.values()) {
            Model model = Compiler.newModel(loader, "dev.kiln.test." + network + "Model", 7, kernels);
            SeededRandom random = new SeededRandom(13);
            int batch = 2;
            float[] x = values(random, batch * model.inputSize(), 1f);
            float[] targets = targets(loss, model, random, batch);

            model.zeroGrad();
            model.forward(x, 0, batch);
            model.loss(targets, 0);
            float[] inputGradient = model.backward().clone();
            float[] gradients = model.parameters().gradients().clone();
            Objective objective = () -> {
                model.forward(x, 0, batch);
                return model.loss(targets, 0);
            };
            checkAll(model.parameters().values(), gradients, objective, "parameter", kernels);
            checkAll(x, inputGradient, objective, "input", kernels);

            float[] c = values(random, batch * model.outputSize(), 1f);
            model.zeroGrad();
            model.forward(x, 0, batch);
            float[] outputInputGradient = model.backward(c, 0).clone();
            float[] outputGradients = model.parameters().gradients().clone();
            Objective weighted = () -> {
                float[] y = model.forward(x, 0, batch);
                double sum = 0;
                for (int i = 0; i < c.length; i++) {
                    sum += c[i] * y[i];
                }
                return sum;
            };
            checkAll(model.parameters().values(), outputGradients, weighted, "parameter", kernels);
            checkAll(x, outputInputGradient, weighted, "input", kernels);
        }
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
        return targets(loss, model, random, BATCH);
    }

    static float[] targets(Loss loss, Model model, SeededRandom random, int batch) {
        int classes = model.outputSize();
        float[] t = new float[batch * model.targetSize()];
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
                for (int r = 0; r < batch; r++) {
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
                for (int r = 0; r < batch; r++) {
                    t[r] = random.nextInt(classes);
                }
            }
        }
        return t;
    }
}
