package dev.kiln.processor.write;

import static dev.kiln.processor.write.Kernel.floats;
import static dev.kiln.processor.write.Kernel.integer;
import static dev.kiln.processor.write.Kernel.real;
import static dev.kiln.processor.write.Vectors.FLOAT_VECTOR;
import static dev.kiln.processor.write.Vectors.VECTOR_OPERATORS;

import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.ParameterSpec;
import dev.kiln.annotations.Activation;
import java.util.ArrayList;
import java.util.List;

/**
 * The element-wise activations and their derivatives, taken from the activated outputs:
 * {@code relu(y, z, n)} computes {@code y = relu(z)} (y may be z) and {@code reluBackward(d, y, n)}
 * turns the gradient {@code d} with respect to the outputs into the gradient with respect to the
 * inputs, in place. Softmax works on rows and is written by {@link ModelWriter}.
 */
final class ActivationKernels {
    private ActivationKernels() {
    }

    /** Whether the activation has element-wise kernels. */
    static boolean elementWise(Activation activation) {
        return activation != Activation.LINEAR && activation != Activation.SOFTMAX;
    }

    static String forwardName(Activation activation) {
        return switch (activation) {
            case RELU -> "relu";
            case LEAKY_RELU -> "leakyRelu";
            case SIGMOID -> "sigmoid";
            case TANH -> "tanh";
            case LINEAR, SOFTMAX -> throw new IllegalArgumentException(activation + " has no element-wise kernel");
        };
    }

    static String backwardName(Activation activation) {
        return forwardName(activation) + "Backward";
    }

    /** Whether the kernels take the layer's negative slope as a last argument. */
    static boolean takesSlope(Activation activation) {
        return activation == Activation.LEAKY_RELU;
    }

    static List<Kernel> kernels(Activation activation) {
        List<ParameterSpec> forward = new ArrayList<>(List.of(floats("y"), floats("z"), integer("n")));
        List<ParameterSpec> backward = new ArrayList<>(List.of(floats("d"), floats("y"), integer("n")));
        if (takesSlope(activation)) {
            forward.add(real("slope"));
            backward.add(real("slope"));
        }
        String name = forwardName(activation);
        CodeBlock scalarForward = loop(null, scalarForward(activation), false);
        CodeBlock scalarBackward = loop(null, scalarBackward(activation), false);
        // exp and tanh run as Math.exp and Math.tanh in both twins: HotSpot computes those the same in
        // every JIT tier, while the Vector API's EXP and TANH may differ between the interpreter and C2.
        boolean exact = !transcendental(activation);
        return List.of(
                new Kernel(name, forwardDoc(activation), forward,
                        exact ? loop(vectorForward(activation), scalarForward(activation), true) : scalarForward, scalarForward),
                new Kernel(backwardName(activation), backwardDoc(activation), backward,
                        loop(vectorBackward(activation), scalarBackward(activation), true), scalarBackward));
    }

    /** Whether the forward pass needs exp or tanh. */
    private static boolean transcendental(Activation activation) {
        return activation == Activation.SIGMOID || activation == Activation.TANH;
    }

    private static String forwardDoc(Activation activation) {
        return switch (activation) {
            case RELU -> "y = max(z, 0) for the first n floats; y may be z.\n";
            case LEAKY_RELU -> "y = z for z > 0, else slope * z, for the first n floats; y may be z.\n";
            case SIGMOID -> "y = 1 / (1 + exp(-z)) for the first n floats; y may be z.\n";
            case TANH -> "y = tanh(z) for the first n floats; y may be z.\n";
            case LINEAR, SOFTMAX -> throw new IllegalArgumentException(activation.toString());
        };
    }

    private static String backwardDoc(Activation activation) {
        return switch (activation) {
            case RELU -> "d *= (y > 0 ? 1 : 0): undoes relu, given its outputs y.\n";
            case LEAKY_RELU -> "d *= (y > 0 ? 1 : slope): undoes leaky relu, given its outputs y.\n";
            case SIGMOID -> "d *= y (1 - y): undoes sigmoid, given its outputs y.\n";
            case TANH -> "d *= 1 - y\u00b2: undoes tanh, given its outputs y.\n";
            case LINEAR, SOFTMAX -> throw new IllegalArgumentException(activation.toString());
        };
    }

    /*
     * int bound = SPECIES.loopBound(n);
     * for (int i = 0; i < bound; i += LANES) { vector step }
     * for (int i = bound; i < n; i++) { scalar step }
     */
    private static CodeBlock loop(CodeBlock vectorStep, CodeBlock scalarStep, boolean vector) {
        CodeBlock.Builder code = CodeBlock.builder();
        if (vector) {
            code.addStatement("int bound = SPECIES.loopBound(n)");
            code.beginControlFlow("for (int i = 0; i < bound; i += LANES)");
            code.add(vectorStep);
            code.endControlFlow();
            code.beginControlFlow("for (int i = bound; i < n; i++)");
        } else {
            code.beginControlFlow("for (int i = 0; i < n; i++)");
        }
        code.add(scalarStep);
        code.endControlFlow();
        return code.build();
    }

    private static CodeBlock vectorForward(Activation activation) {
        CodeBlock.Builder code = CodeBlock.builder();
        code.addStatement("$T v = $T.fromArray(SPECIES, z, i)", FLOAT_VECTOR, FLOAT_VECTOR);
        switch (activation) {
            case RELU -> code.addStatement("v.max(0f).intoArray(y, i)");
            case LEAKY_RELU -> code.addStatement("v.blend(v.mul(slope), v.compare($T.LT, 0f)).intoArray(y, i)", VECTOR_OPERATORS);
            case SIGMOID, TANH, LINEAR, SOFTMAX -> throw new IllegalArgumentException(activation + " has no vector forward kernel");
        }
        return code.build();
    }

    private static CodeBlock scalarForward(Activation activation) {
        return switch (activation) {
            case RELU -> CodeBlock.builder().addStatement("y[i] = Math.max(z[i], 0f)").build();
            case LEAKY_RELU -> CodeBlock.builder().addStatement("y[i] = z[i] < 0f ? slope * z[i] : z[i]").build();
            case SIGMOID -> CodeBlock.builder().addStatement("y[i] = 1f / (1f + (float) Math.exp(-z[i]))").build();
            case TANH -> CodeBlock.builder().addStatement("y[i] = (float) Math.tanh(z[i])").build();
            case LINEAR, SOFTMAX -> throw new IllegalArgumentException(activation.toString());
        };
    }

    private static CodeBlock vectorBackward(Activation activation) {
        CodeBlock.Builder code = CodeBlock.builder();
        code.addStatement("$T g = $T.fromArray(SPECIES, d, i)", FLOAT_VECTOR, FLOAT_VECTOR);
        code.addStatement("$T v = $T.fromArray(SPECIES, y, i)", FLOAT_VECTOR, FLOAT_VECTOR);
        switch (activation) {
            case RELU -> code.addStatement("g.blend(0f, v.compare($T.LE, 0f)).intoArray(d, i)", VECTOR_OPERATORS);
            case LEAKY_RELU -> code.addStatement("g.blend(g.mul(slope), v.compare($T.LE, 0f)).intoArray(d, i)", VECTOR_OPERATORS);
            case SIGMOID -> code.addStatement("g.mul(v).mul(v.neg().add(1f)).intoArray(d, i)");
            case TANH -> code.addStatement("g.mul(v.mul(v).neg().add(1f)).intoArray(d, i)");
            case LINEAR, SOFTMAX -> throw new IllegalArgumentException(activation.toString());
        }
        return code.build();
    }

    private static CodeBlock scalarBackward(Activation activation) {
        return switch (activation) {
            case RELU -> CodeBlock.builder().beginControlFlow("if (y[i] <= 0f)").addStatement("d[i] = 0f").endControlFlow().build();
            case LEAKY_RELU -> CodeBlock.builder().beginControlFlow("if (y[i] <= 0f)").addStatement("d[i] *= slope").endControlFlow().build();
            case SIGMOID -> CodeBlock.builder().addStatement("d[i] = d[i] * y[i] * (1f - y[i])").build();
            case TANH -> CodeBlock.builder().addStatement("d[i] = d[i] * (1f - y[i] * y[i])").build();
            case LINEAR, SOFTMAX -> throw new IllegalArgumentException(activation.toString());
        };
    }
}
