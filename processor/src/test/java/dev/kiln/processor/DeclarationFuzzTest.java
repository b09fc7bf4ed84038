package dev.kiln.processor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.testing.compile.Compilation;
import dev.kiln.runtime.Kernels;
import dev.kiln.runtime.Model;
import dev.kiln.runtime.SeededRandom;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.tools.Diagnostic;
import javax.tools.JavaFileObject;
import org.junit.jupiter.api.Test;

/**
 * Random declarations, good and bad, from a fixed seed: attribute values in and out of range,
 * layers in any order, every input rank. Kiln must never crash javac and never write code that
 * fails to compile: every error is a tagged Kiln message on the declaration (never [InternalError],
 * never in a generated file), and every declaration without errors compiles on its own to a model
 * that trains a step and predicts.
 */
class DeclarationFuzzTest {
    private static final int NETWORKS = 400;
    private static final int BATCH = 25;
    private static final String[] KINDS = {"Dense", "Dense", "Conv2D", "MaxPooling2D", "AveragePooling2D", "Flatten"};
    private static final String[] ACTIVATIONS = {"LINEAR", "RELU", "LEAKY_RELU", "SIGMOID", "TANH", "SOFTMAX"};
    private static final String[] LOSSES = {"MSE", "BINARY_CROSS_ENTROPY", "SOFTMAX_CROSS_ENTROPY", "SPARSE_SOFTMAX_CROSS_ENTROPY"};
    private static final String[] NAMES = {"fc", "hidden", "out", "conv", "conv2", "pool", "flat", "a", "b1", "layer2", "logits",
        "features", "score", "dense", "z", "yHat", "output", "input", "kernel", "window", "weights", "model", "loss"};
    private static final int[] SIZES = {-1, 0, 1, 2, 3, 4, 5, 7, 8, 9, 13, 16, 17, 32, 33};

    @Test
    void noDeclarationCrashesJavacOrGeneratesCodeThatFailsToCompile() {
        SeededRandom random = new SeededRandom(20261204);
        int clean = 0;
        int rejected = 0;
        for (int start = 0; start < NETWORKS; start += BATCH) {
            Map<String, JavaFileObject> sources = new LinkedHashMap<>();
            for (int n = start; n < start + BATCH; n++) {
                sources.put("Net" + n, declaration("Net" + n, random));
            }
            Compilation compilation = Compiler.compile(sources.values().toArray(JavaFileObject[]::new));
            Set<String> withErrors = new HashSet<>();
            for (Diagnostic<? extends JavaFileObject> error : compilation.errors()) {
                String message = error.getMessage(null);
                JavaFileObject file = error.getSource();
                assertTrue(file != null && sources.containsValue(file), "an error outside the declarations (in generated code?): " + message);
                assertTrue(message.startsWith("[") && !message.startsWith("[InternalError]"), "not a Kiln diagnostic, or a crash: " + message
                        + "\nin\n" + text(file));
                withErrors.add(file.getName().replaceAll(".*/(Net\\d+)\\.java$", "$1"));
            }
            Map<String, JavaFileObject> good = new LinkedHashMap<>(sources);
            good.keySet().removeAll(withErrors);
            rejected += withErrors.size();
            clean += good.size();
            runWithoutTheOthers(good);
        }
        System.out.printf("%d random declarations: %d compiled and ran, %d rejected with Kiln's errors%n", NETWORKS, clean, rejected);
        assertTrue(clean > NETWORKS / 4 && rejected > NETWORKS / 4, "the generator should make both kinds: " + clean + " clean, " + rejected + " rejected");
    }

    /** Compiles the error-free declarations without the others and runs each: a training step and a prediction. */
    private static void runWithoutTheOthers(Map<String, JavaFileObject> sources) {
        Compilation compilation = Compiler.compile(sources.values().toArray(JavaFileObject[]::new));
        assertEquals(List.of(), compilation.errors().stream().map(e -> e.getMessage(null)).toList(), "compiled with the rejected ones but not without");
        ClassLoader loader = Compiler.loader(compilation);
        for (Map.Entry<String, JavaFileObject> source : sources.entrySet()) {
            for (Kernels.Kind kind : Kernels.Kind.values()) {
                run(loader, source.getKey(), source.getValue(), kind);
            }
        }
    }

    private static void run(ClassLoader loader, String name, JavaFileObject source, Kernels.Kind kind) {
        Model model = Compiler.newModel(loader, "test." + name + "Model", 1, kind);
        if ((long) model.parameters().size() + 4L * model.inputSize() > 2_000_000) {
            return;
        }
        SeededRandom random = new SeededRandom(3);
        float[] x = GradientCheckTest.values(random, 2 * model.inputSize(), 1f);
        float[] targets = VectorScalarTest.targets(model, 2, random);
        model.forward(x, 0, 2);
        float loss = model.loss(targets, 0);
        model.zeroGrad();
        model.backward();
        float[] y = model.predict(java.util.Arrays.copyOf(x, model.inputSize()));
        assertTrue(Float.isFinite(loss) && Float.isFinite(y[0]), name + " " + kind + ": loss " + loss + ", first output " + y[0] + "\n" + text(source));
    }

    private static String text(JavaFileObject file) {
        try {
            return file.getCharContent(true).toString();
        } catch (java.io.IOException e) {
            return "?";
        }
    }

    /** Half the declarations are plausible networks (most compile), half are random (most do not). */
    private static JavaFileObject declaration(String className, SeededRandom random) {
        return random.nextInt(2) == 0 ? plausible(className, random) : anything(className, random);
    }

    /**
     * An image network (convolutions and pooling that fit, Flatten, Dense) or a dense one, its last
     * activation chosen to suit the loss, with now and then one attribute out of range.
     */
    private static JavaFileObject plausible(String className, SeededRandom random) {
        List<String> lines = new ArrayList<>();
        String loss = LOSSES[random.nextInt(LOSSES.length)];
        boolean image = random.nextInt(2) == 0;
        int height = 3 + random.nextInt(10);
        int width = 3 + random.nextInt(10);
        int channels = 1 + random.nextInt(4);
        lines.add("@Network(input = " + (image ? "{" + height + ", " + width + ", " + channels + "}" : String.valueOf(1 + random.nextInt(30)))
                + ", loss = Loss." + loss + ")");
        lines.add("abstract class " + className + " {");
        int l = 0;
        if (image) {
            for (int k = random.nextInt(4); k > 0; k--) {
                boolean conv = random.nextInt(2) == 0;
                boolean same = random.nextInt(3) == 0;
                int wh = 1 + random.nextInt(Math.min(3, Math.min(height, width)));
                int ww = 1 + random.nextInt(Math.min(3, Math.min(height, width)));
                int stride = 1 + random.nextInt(2);
                String window = wh == ww ? String.valueOf(wh) : "{" + wh + ", " + ww + "}";
                String padding = same ? ", padding = Padding.SAME" : "";
                if (conv) {
                    String activation = ACTIVATIONS[random.nextInt(ACTIVATIONS.length - 1)];
                    lines.add("    @Conv2D(filters = " + (1 + random.nextInt(5)) + ", kernel = " + window + ", stride = " + stride + padding
                            + ", activation = Activation." + activation + ") Layer conv" + l++ + ";");
                } else {
                    lines.add("    @" + (random.nextInt(2) == 0 ? "Max" : "Average") + "Pooling2D(pool = " + window + ", stride = " + stride + padding
                            + ") Layer pool" + l++ + ";");
                }
                height = same ? (height + stride - 1) / stride : (height - wh) / stride + 1;
                width = same ? (width + stride - 1) / stride : (width - ww) / stride + 1;
            }
            lines.add("    @Flatten Layer flat;");
        }
        for (int k = random.nextInt(3); k > 0; k--) {
            lines.add("    @Dense(units = " + (1 + random.nextInt(20)) + ", activation = Activation." + ACTIVATIONS[random.nextInt(ACTIVATIONS.length - 1)]
                    + ") Layer hidden" + l++ + ";");
        }
        String last = switch (loss) {
            case "MSE" -> ACTIVATIONS[random.nextInt(ACTIVATIONS.length)];
            case "BINARY_CROSS_ENTROPY" -> random.nextInt(2) == 0 ? "LINEAR" : "SIGMOID";
            default -> random.nextInt(2) == 0 ? "LINEAR" : "SOFTMAX";
        };
        lines.add("    @Dense(units = " + (2 + random.nextInt(9)) + ", activation = Activation." + last + ") Layer out;");
        lines.add("}");
        if (random.nextInt(4) == 0) {
            int at = 2 + random.nextInt(lines.size() - 3);
            lines.set(at, lines.get(at).replaceFirst("(units|filters|kernel|pool|stride) = \\d+", "$1 = " + pick(random, new int[] {0, -1, 40})));
        }
        return Diagnostics.source(className, lines.toArray(String[]::new));
    }

    /** Any layers in any order with attributes from wide ranges. */
    private static JavaFileObject anything(String className, SeededRandom random) {
        List<String> lines = new ArrayList<>();
        int rank = 1 + random.nextInt(4);
        List<String> dims = new ArrayList<>();
        for (int d = 0; d < rank; d++) {
            dims.add(String.valueOf(random.nextInt(10) == 0 ? pick(random, SIZES) : 1 + random.nextInt(rank == 1 ? 40 : 12)));
        }
        String input = rank == 1 ? dims.get(0) : "{" + String.join(", ", dims) + "}";
        lines.add("@Network(input = " + input + ", loss = Loss." + LOSSES[random.nextInt(LOSSES.length)] + ")");
        lines.add("abstract class " + className + " {");
        int layers = 1 + random.nextInt(5);
        Set<String> used = new HashSet<>();
        for (int l = 0; l < layers; l++) {
            String kind = l == layers - 1 && random.nextInt(3) > 0 ? "Dense" : KINDS[random.nextInt(KINDS.length)];
            String name;
            do {
                name = NAMES[random.nextInt(NAMES.length)] + (random.nextInt(3) == 0 ? String.valueOf(l) : "");
            } while (!used.add(name));
            lines.add("    @" + kind + attributes(kind, random) + " Layer " + name + ";");
        }
        lines.add("}");
        return Diagnostics.source(className, lines.toArray(String[]::new));
    }

    private static String attributes(String kind, SeededRandom random) {
        List<String> a = new ArrayList<>();
        switch (kind) {
            case "Dense" -> {
                a.add("units = " + (random.nextInt(8) == 0 ? pick(random, SIZES) : 1 + random.nextInt(20)));
                activation(a, random);
            }
            case "Conv2D" -> {
                a.add("filters = " + (random.nextInt(8) == 0 ? pick(random, SIZES) : 1 + random.nextInt(6)));
                a.add("kernel = " + window(random, 1 + random.nextInt(4)));
                if (random.nextInt(3) == 0) {
                    a.add("stride = " + window(random, 1 + random.nextInt(3)));
                }
                padding(a, random);
                activation(a, random);
                if (random.nextInt(4) == 0) {
                    a.add("bias = false");
                }
            }
            case "MaxPooling2D", "AveragePooling2D" -> {
                if (random.nextInt(2) == 0) {
                    a.add("pool = " + window(random, 1 + random.nextInt(4)));
                }
                if (random.nextInt(3) == 0) {
                    a.add("stride = " + window(random, 1 + random.nextInt(3)));
                }
                padding(a, random);
            }
            default -> {
            }
        }
        return a.isEmpty() ? "" : "(" + String.join(", ", a) + ")";
    }

    private static void activation(List<String> a, SeededRandom random) {
        if (random.nextInt(3) > 0) {
            String activation = ACTIVATIONS[random.nextInt(ACTIVATIONS.length)];
            a.add("activation = Activation." + activation);
            if (random.nextInt(5) == 0 || (activation.equals("LEAKY_RELU") && random.nextInt(2) == 0)) {
                a.add("negativeSlope = " + (random.nextInt(4) == 0 ? "-0.5f" : "0.2f"));
            }
        }
    }

    private static void padding(List<String> a, SeededRandom random) {
        if (random.nextInt(2) == 0) {
            a.add("padding = Padding." + (random.nextInt(2) == 0 ? "SAME" : "VALID"));
        }
    }

    /** {@code 3}, {@code {2, 3}}, and now and then a bad size or a list of another length. */
    private static String window(SeededRandom random, int typical) {
        int form = random.nextInt(10);
        if (form == 0) {
            return "{}";
        } else if (form == 1) {
            return "{" + typical + ", " + typical + ", " + typical + "}";
        } else if (form == 2) {
            return String.valueOf(pick(random, SIZES));
        } else if (form < 6) {
            return "{" + typical + ", " + (1 + random.nextInt(4)) + "}";
        }
        return String.valueOf(typical);
    }

    private static int pick(SeededRandom random, int[] values) {
        return values[random.nextInt(values.length)];
    }
}
