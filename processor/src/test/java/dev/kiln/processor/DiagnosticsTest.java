package dev.kiln.processor;

import static com.google.testing.compile.CompilationSubject.assertThat;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.testing.compile.Compilation;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.StandardLocation;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every bad declaration gets exactly one javac error, with the concrete values and the fix, on the
 * line and column of the narrowest element: the annotation value where there is one.
 */
class DiagnosticsTest {
    private static JavaFileObject source(String name, String... body) {
        return Diagnostics.source(name, body);
    }

    private static void check(String name, String message, int bodyLine, String at, String... body) {
        Diagnostics.check(name, message, bodyLine, at, body);
    }

    @Test
    void unitsNotPositive() {
        check("Bad", "[UnitsNotPositive] 'hidden' declares units = 0, but a Dense layer needs at least 1 unit. Set units to its number of outputs.",
                3, "0",
                "@Network(input = 4, loss = Loss.MSE)",
                "abstract class Bad {",
                "    @Dense(units = 0) Layer hidden;",
                "    @Dense(units = 1) Layer out;",
                "}");
    }

    @Test
    void noLayers() {
        check("Empty", "[NoLayers] Empty declares no layers. Add layer fields in the order data flows through them, for example '@Dense(units = 10) Layer out;'.",
                1, "@Network",
                "@Network(input = 4, loss = Loss.MSE)",
                "abstract class Empty {",
                "}");
    }

    @Test
    void missingInput() {
        check("NoInput", "[MissingInput] @Network on NoInput declares no input shape. Add input = n, the number of floats in one sample (for example input = 784).",
                1, "@Network",
                "@Network(loss = Loss.MSE)",
                "abstract class NoInput {",
                "    @Dense(units = 1) Layer out;",
                "}");
    }

    @Test
    void emptyInput() {
        check("EmptyInput", "[MissingInput] @Network on EmptyInput declares no input shape.",
                1, "{}",
                "@Network(input = {}, loss = Loss.MSE)",
                "abstract class EmptyInput {",
                "    @Dense(units = 1) Layer out;",
                "}");
    }

    @Test
    void inputNotPositive() {
        check("NegativeInput", "[InputNotPositive] input = {28, -28} has -28 at position 1, but every dimension must be at least 1.",
                1, "-28",
                "@Network(input = {28, -28}, loss = Loss.MSE)",
                "abstract class NegativeInput {",
                "    @Dense(units = 1) Layer out;",
                "}");
    }

    @Test
    void denseNeedsFlatInput() {
        check("Image", "[NeedsFlatInput] 'out' is Dense and needs a flat input, but input (28, 28, 1) gives it shape (28, 28, 1). "
                        + "Add '@Flatten Layer flatten;' before 'out' to flatten it to (784), or declare the input flat: input = 784.",
                3, "@Dense",
                "@Network(input = {28, 28, 1}, loss = Loss.MSE)",
                "abstract class Image {",
                "    @Dense(units = 1) Layer out;",
                "}");
    }

    @Test
    void denseAfterConvolutionNeedsFlatten() {
        check("NoFlatten", "[NeedsFlatInput] 'fc' is Dense and needs a flat input, but input (28, 28, 1) -> conv1 (26, 26, 32) -> pool1 (13, 13, 32) "
                        + "gives it shape (13, 13, 32). Add '@Flatten Layer flatten;' before 'fc' to flatten it to (5408).",
                5, "@Dense",
                "@Network(input = {28, 28, 1}, loss = Loss.SPARSE_SOFTMAX_CROSS_ENTROPY)",
                "abstract class NoFlatten {",
                "    @Conv2D(filters = 32, kernel = 3, activation = Activation.RELU) Layer conv1;",
                "    @MaxPooling2D Layer pool1;",
                "    @Dense(units = 10) Layer fc;",
                "}");
    }

    @Test
    void kernelTooLarge() {
        check("Big", "[KernelTooLarge] 'conv2' has a 15x15 kernel, larger than its 13x13 input, so its output would have no elements: "
                        + "input (28, 28, 1) -> conv1 (26, 26, 32) -> pool1 (13, 13, 32) -> conv2 (15x15 kernel) does not fit. "
                        + "Use a kernel of at most 13x13, or padding = Padding.SAME.",
                5, "15",
                "@Network(input = {28, 28, 1}, loss = Loss.MSE)",
                "abstract class Big {",
                "    @Conv2D(filters = 32, kernel = 3) Layer conv1;",
                "    @MaxPooling2D Layer pool1;",
                "    @Conv2D(filters = 8, kernel = 15) Layer conv2;",
                "    @Flatten Layer flat;",
                "    @Dense(units = 1) Layer out;",
                "}");
    }

    @Test
    void kernelTallerThanInput() {
        check("Tall", "[KernelTooLarge] 'conv' has a 9x2 kernel, larger than its 8x8 input, so its output would have no elements: "
                        + "input (8, 8, 3) -> conv (9x2 kernel) does not fit. Use a kernel of at most 8x8, or padding = Padding.SAME.",
                3, "{9, 2}",
                "@Network(input = {8, 8, 3}, loss = Loss.MSE)",
                "abstract class Tall {",
                "    @Conv2D(filters = 4, kernel = {9, 2}) Layer conv;",
                "    @Flatten Layer flat;",
                "}");
    }

    @Test
    void poolTooLarge() {
        check("Pooled", "[PoolTooLarge] 'pool2' pools 4x4 windows, larger than its 3x3 input, so its output would have no elements: "
                        + "input (12, 12, 1) -> pool1 (3, 3, 1) -> pool2 (4x4 window) does not fit. Use a window of at most 3x3, or padding = Padding.SAME.",
                4, "4",
                "@Network(input = {12, 12, 1}, loss = Loss.MSE)",
                "abstract class Pooled {",
                "    @AveragePooling2D(pool = 4) Layer pool1;",
                "    @MaxPooling2D(pool = 4) Layer pool2;",
                "    @Flatten Layer flat;",
                "}");
    }

    @Test
    void defaultPoolTooLarge() {
        check("Tiny", "[PoolTooLarge] 'pool' pools 2x2 windows, larger than its 1x1 input, so its output would have no elements: "
                        + "input (1, 1, 4) -> pool (2x2 window) does not fit.",
                3, "@MaxPooling2D",
                "@Network(input = {1, 1, 4}, loss = Loss.MSE)",
                "abstract class Tiny {",
                "    @MaxPooling2D Layer pool;",
                "    @Flatten Layer flat;",
                "}");
    }

    @Test
    void filtersNotPositive() {
        check("NoFilters", "[FiltersNotPositive] 'conv' declares filters = 0, but a Conv2D layer needs at least 1 filter. Set filters to its number of output channels.",
                3, "0,",
                "@Network(input = {8, 8, 1}, loss = Loss.MSE)",
                "abstract class NoFilters {",
                "    @Conv2D(filters = 0, kernel = 3) Layer conv;",
                "    @Flatten Layer flat;",
                "}");
    }

    @Test
    void kernelNotPositive() {
        check("ZeroKernel", "[WindowNotPositive] 'conv' declares kernel = {3, 0}, but each side of a kernel must be at least 1.",
                3, "0}",
                "@Network(input = {8, 8, 1}, loss = Loss.MSE)",
                "abstract class ZeroKernel {",
                "    @Conv2D(filters = 2, kernel = {3, 0}) Layer conv;",
                "    @Flatten Layer flat;",
                "}");
    }

    @Test
    void poolNotPositive() {
        check("ZeroPool", "[WindowNotPositive] 'pool' declares pool = -2, but each side of a pooling window must be at least 1.",
                3, "-2",
                "@Network(input = {8, 8, 1}, loss = Loss.MSE)",
                "abstract class ZeroPool {",
                "    @AveragePooling2D(pool = -2) Layer pool;",
                "    @Flatten Layer flat;",
                "}");
    }

    @Test
    void kernelWithThreeSides() {
        check("Cube", "[WindowDimensions] 'conv' declares kernel = {3, 3, 3}, but it takes {height, width} or one number for both. "
                        + "Write, for example, kernel = 3 or kernel = {3, 5}.",
                3, "{3, 3, 3}",
                "@Network(input = {8, 8, 1}, loss = Loss.MSE)",
                "abstract class Cube {",
                "    @Conv2D(filters = 2, kernel = {3, 3, 3}) Layer conv;",
                "    @Flatten Layer flat;",
                "}");
    }

    @Test
    void strideZero() {
        check("Still", "[StrideNotPositive] 'conv' declares stride = 0, but a stride must be at least 1: stride = 1 moves the window by one element, stride = 2 by two.",
                3, "0)",
                "@Network(input = {8, 8, 1}, loss = Loss.MSE)",
                "abstract class Still {",
                "    @Conv2D(filters = 2, kernel = 3, stride = 0) Layer conv;",
                "    @Flatten Layer flat;",
                "}");
    }

    @Test
    void poolStrideNegative() {
        check("Backwards", "[StrideNotPositive] 'pool' declares stride = {1, -2}, but a stride must be at least 1",
                3, "-2",
                "@Network(input = {8, 8, 1}, loss = Loss.MSE)",
                "abstract class Backwards {",
                "    @MaxPooling2D(stride = {1, -2}) Layer pool;",
                "    @Flatten Layer flat;",
                "}");
    }

    @Test
    void convolutionNeedsImageInput() {
        check("FlatConv", "[NeedsImageInput] 'conv' is Conv2D and needs an input of shape (height, width, channels), but input (784) gives it shape (784). "
                        + "Declare the input as (height, width, channels), for example input = {28, 28, 1} for 28x28 grey images.",
                3, "@Conv2D",
                "@Network(input = 784, loss = Loss.MSE)",
                "abstract class FlatConv {",
                "    @Conv2D(filters = 2, kernel = 3) Layer conv;",
                "    @Flatten Layer flat;",
                "}");
    }

    @Test
    void poolingNeedsChannels() {
        check("NoChannels", "[NeedsImageInput] 'pool' is MaxPooling2D and needs an input of shape (height, width, channels), but input (28, 28) gives it shape (28, 28). "
                        + "Add the channel dimension: input = {28, 28, 1}.",
                3, "@MaxPooling2D",
                "@Network(input = {28, 28}, loss = Loss.MSE)",
                "abstract class NoChannels {",
                "    @MaxPooling2D Layer pool;",
                "    @Flatten Layer flat;",
                "}");
    }

    @Test
    void convolutionAfterFlatten() {
        check("Late", "[NeedsImageInput] 'conv' is Conv2D and needs an input of shape (height, width, channels), "
                        + "but input (8, 8, 1) -> flat (64) gives it shape (64). Put convolution and pooling layers before Flatten and Dense layers.",
                4, "@Conv2D",
                "@Network(input = {8, 8, 1}, loss = Loss.MSE)",
                "abstract class Late {",
                "    @Flatten Layer flat;",
                "    @Conv2D(filters = 2, kernel = 3) Layer conv;",
                "}");
    }

    @Test
    void softmaxOnConvolution() {
        check("ConvSoftmax", "[SoftmaxNeedsFlat] 'conv' uses SOFTMAX on its Conv2D output, but Kiln applies softmax only to a flat output.",
                3, ".SOFTMAX",
                "@Network(input = {8, 8, 1}, loss = Loss.MSE)",
                "abstract class ConvSoftmax {",
                "    @Conv2D(filters = 2, kernel = 3, activation = Activation.SOFTMAX) Layer conv;",
                "}");
    }

    @Test
    void slopeOnConvolutionWithoutLeakyRelu() {
        check("ConvSlope", "[SlopeWithoutLeakyRelu] 'conv' sets negativeSlope = 0.3 but its activation is TANH; negativeSlope applies only to LEAKY_RELU.",
                3, "0.3f",
                "@Network(input = {8, 8, 1}, loss = Loss.MSE)",
                "abstract class ConvSlope {",
                "    @Conv2D(filters = 2, kernel = 3, activation = Activation.TANH, negativeSlope = 0.3f) Layer conv;",
                "    @Flatten Layer flat;",
                "}");
    }

    @Test
    void tooLarge() {
        check("Huge", "[TooLarge] 'out' needs 10,000,000,000 floats for its weight, more than the 2,147,483,647 a Java array holds "
                        + "(input (100000) -> out (100000)). Use a smaller input, or fewer units or filters.",
                3, "100000)",
                "@Network(input = 100000, loss = Loss.MSE)",
                "abstract class Huge {",
                "    @Dense(units = 100000) Layer out;",
                "}");
    }

    @Test
    void onlyFlatten() {
        check("Nothing", "[NothingToCompute] Nothing declares only Flatten layers, which compute nothing. Add a layer that does, for example '@Dense(units = 10) Layer out;'.",
                1, "@Network",
                "@Network(input = {4, 4, 1}, loss = Loss.MSE)",
                "abstract class Nothing {",
                "    @Flatten Layer flat;",
                "}");
    }

    @Test
    void sparseCrossEntropyOnOneUnit() {
        check("OneClass", "[LossNeedsClasses] loss = SPARSE_SOFTMAX_CROSS_ENTROPY needs one output per class and at least 2 classes, but the last layer 'out' has 1 output. "
                        + "Set units to the number of classes, or use Loss.BINARY_CROSS_ENTROPY for one yes/no output.",
                1, ".SPARSE",
                "@Network(input = 4, loss = Loss.SPARSE_SOFTMAX_CROSS_ENTROPY)",
                "abstract class OneClass {",
                "    @Dense(units = 1) Layer out;",
                "}");
    }

    @Test
    void binaryCrossEntropyOnSoftmax() {
        check("BceSoftmax", "[LossActivationMismatch] loss = BINARY_CROSS_ENTROPY takes logits and fuses a sigmoid, but the last layer 'out' ends in SOFTMAX. "
                        + "Set activation = Activation.LINEAR (or SIGMOID) on 'out', or use Loss.SOFTMAX_CROSS_ENTROPY.",
                1, ".BINARY",
                "@Network(input = 4, loss = Loss.BINARY_CROSS_ENTROPY)",
                "abstract class BceSoftmax {",
                "    @Dense(units = 3, activation = Activation.SOFTMAX) Layer out;",
                "}");
    }

    @Test
    void softmaxCrossEntropyOnRelu() {
        check("CeRelu", "[LossActivationMismatch] loss = SOFTMAX_CROSS_ENTROPY takes logits and fuses a softmax, but the last layer 'out' ends in RELU. "
                        + "Set activation = Activation.LINEAR (or SOFTMAX) on 'out'.",
                1, ".SOFTMAX",
                "@Network(input = 4, loss = Loss.SOFTMAX_CROSS_ENTROPY)",
                "abstract class CeRelu {",
                "    @Dense(units = 3, activation = Activation.RELU) Layer out;",
                "}");
    }

    @Test
    void softmaxNotLast() {
        check("EarlySoftmax", "[SoftmaxNotLast] 'hidden' uses SOFTMAX, which is allowed only on the last layer ('out'). Use RELU, TANH or SIGMOID here.",
                3, ".SOFTMAX",
                "@Network(input = 4, loss = Loss.MSE)",
                "abstract class EarlySoftmax {",
                "    @Dense(units = 8, activation = Activation.SOFTMAX) Layer hidden;",
                "    @Dense(units = 2) Layer out;",
                "}");
    }

    @Test
    void slopeWithoutLeakyRelu() {
        check("Slope", "[SlopeWithoutLeakyRelu] 'hidden' sets negativeSlope = 0.2 but its activation is RELU; negativeSlope applies only to LEAKY_RELU.",
                3, "0.2f",
                "@Network(input = 4, loss = Loss.MSE)",
                "abstract class Slope {",
                "    @Dense(units = 8, activation = Activation.RELU, negativeSlope = 0.2f) Layer hidden;",
                "    @Dense(units = 2) Layer out;",
                "}");
    }

    @Test
    void negativeSlopeInvalid() {
        check("NegativeSlope", "[NegativeSlopeInvalid] 'hidden' sets negativeSlope = -0.5, but it must be a finite number >= 0 (PyTorch's default is 0.01).",
                3, "-0.5f",
                "@Network(input = 4, loss = Loss.MSE)",
                "abstract class NegativeSlope {",
                "    @Dense(units = 8, activation = Activation.LEAKY_RELU, negativeSlope = -0.5f) Layer hidden;",
                "    @Dense(units = 2) Layer out;",
                "}");
    }

    @Test
    void layerOutsideNetwork() {
        check("Plain", "[LayerOutsideNetwork] @Dense on 'out' has no effect: Plain is not annotated with @Network. Annotate the class with @Network(input = ..., loss = ...).",
                2, "@Dense",
                "abstract class Plain {",
                "    @Dense(units = 1) Layer out;",
                "}");
    }

    @Test
    void twoLayerAnnotationsOnOneField() {
        check("Twice", "[TwoLayerAnnotations] 'out' is already declared as @Dense; one field declares one layer. Declare another field for @Other.",
                3, "@Other",
                "@Network(input = 4, loss = Loss.MSE)",
                "abstract class Twice {",
                "    @Dense(units = 1) @Other Layer out;",
                "}",
                "@LayerKind @java.lang.annotation.Target(java.lang.annotation.ElementType.FIELD) @interface Other {}");
    }

    @Test
    void unknownLayerKind() {
        check("Custom", "[UnknownLayerKind] @Other is marked @LayerKind, but Kiln has no rules for it; the layer kinds are [AveragePooling2D, Conv2D, Dense, Flatten, MaxPooling2D]. Use one of them.",
                3, "@Other",
                "@Network(input = 4, loss = Loss.MSE)",
                "abstract class Custom {",
                "    @Other Layer out;",
                "}",
                "@LayerKind @java.lang.annotation.Target(java.lang.annotation.ElementType.FIELD) @interface Other {}");
    }

    @Test
    void finalNetwork() {
        check("Sealed", "[FinalNetwork] Sealed is final, but Kiln generates SealedModel as its subclass. Remove 'final'.",
                2, "class",
                "@Network(input = 4, loss = Loss.MSE)",
                "final class Sealed {",
                "    @Dense(units = 1) Layer out;",
                "}");
    }

    @Test
    void privateNetwork() {
        check("Outer", "[PrivateNetwork] Hidden is private, so the generated Outer_HiddenModel cannot extend it. Make it package-private or public.",
                3, "class Hidden",
                "class Outer {",
                "    @Network(input = 4, loss = Loss.MSE)",
                "    private abstract static class Hidden {",
                "        @Dense(units = 1) Layer out;",
                "    }",
                "}");
    }

    @Test
    void innerNetwork() {
        check("Outer", "[InnerNetwork] Inner is an inner class, so the generated Outer_InnerModel could not be created on its own. Declare it 'static'.",
                3, "class",
                "class Outer {",
                "    @Network(input = 4, loss = Loss.MSE)",
                "    abstract class Inner {",
                "        @Dense(units = 1) Layer out;",
                "    }",
                "}");
    }

    @Test
    void genericNetwork() {
        check("Generic", "[GenericNetwork] Generic declares type parameters <T>, but a network's shapes and types are fixed when it compiles. Remove the type parameters.",
                2, "class",
                "@Network(input = 4, loss = Loss.MSE)",
                "abstract class Generic<T> {",
                "    @Dense(units = 1) Layer out;",
                "}");
    }

    @Test
    void networkOnInterface() {
        check("Shape", "[NotAClass] @Network goes on a class, but Shape is an interface. Declare 'abstract class Shape' with the layer fields in it.",
                2, "interface",
                "@Network(input = 4, loss = Loss.MSE)",
                "interface Shape {",
                "}");
    }

    @Test
    void noConstructor() {
        check("NeedsArgs", "[NoConstructor] NeedsArgs has no constructor without parameters that the generated NeedsArgsModel could call. Add one that is not private.",
                2, "class",
                "@Network(input = 4, loss = Loss.MSE)",
                "abstract class NeedsArgs {",
                "    NeedsArgs(int size) {}",
                "    @Dense(units = 1) Layer out;",
                "}");
    }

    @Test
    void generatedNameTaken() {
        check("Taken", "[GeneratedNameTaken] Kiln generates test.TakenModel for Taken, but a type with that name already exists. "
                        + "Rename that type, or choose another name with @Network(className = \"...\").",
                2, "class",
                "@Network(input = 4, loss = Loss.MSE)",
                "abstract class Taken {",
                "    @Dense(units = 1) Layer out;",
                "}",
                "class TakenModel {}");
    }

    @Test
    void classNameInvalid() {
        check("Named", "[ClassNameInvalid] className = \"2fast\" is not a valid Java class name. Use a simple name such as \"NamedModel\".",
                1, "\"2fast\"",
                "@Network(input = 4, loss = Loss.MSE, className = \"2fast\")",
                "abstract class Named {",
                "    @Dense(units = 1) Layer out;",
                "}");
    }

    @Test
    void memberClash() {
        check("Clash", "[MemberClash] Clash declares a method 'forward', a name the generated ClashModel needs for Model.forward. Rename the method.",
                4, "forward",
                "@Network(input = 4, loss = Loss.MSE)",
                "abstract class Clash {",
                "    @Dense(units = 1) Layer out;",
                "    void forward() {}",
                "}");
    }

    @Test
    void layerNameClash() {
        check("Cases", "[LayerNameClash] layers 'fc1' and 'Fc1' both become the constant FC1_WEIGHT in the generated class. Rename one of them.",
                4, "Fc1;",
                "@Network(input = 4, loss = Loss.MSE)",
                "abstract class Cases {",
                "    @Dense(units = 3) Layer fc1;",
                "    @Dense(units = 1) Layer Fc1;",
                "}");
    }

    @Test
    void layerFieldPrivate() {
        check("Private", "[LayerFieldPrivate] layer field 'out' is private, but the generated PrivateModel sets it. Remove 'private'.",
                3, "out",
                "@Network(input = 4, loss = Loss.MSE)",
                "abstract class Private {",
                "    @Dense(units = 1) private Layer out;",
                "}");
    }

    @Test
    void layerFieldStatic() {
        check("Static", "[LayerFieldStatic] layer field 'out' is static, but each model has its own layers. Remove 'static'.",
                3, "out",
                "@Network(input = 4, loss = Loss.MSE)",
                "abstract class Static {",
                "    @Dense(units = 1) static Layer out;",
                "}");
    }

    @Test
    void layerFieldFinal() {
        check("Final", "[LayerFieldFinal] layer field 'out' is final, but the generated FinalModel sets it. Remove 'final'.",
                3, "out",
                "@Network(input = 4, loss = Loss.MSE)",
                "abstract class Final {",
                "    @Dense(units = 1) final Layer out = null;",
                "}");
    }

    @Test
    void layerFieldType() {
        check("Typed", "[LayerFieldType] layer field 'out' is declared as java.lang.Object; declare it as dev.kiln.runtime.Layer.",
                3, "out",
                "@Network(input = 4, loss = Loss.MSE)",
                "abstract class Typed {",
                "    @Dense(units = 1) Object out;",
                "}");
    }

    @Test
    void vectorModuleMissing() {
        String[] body = {
            "@Network(input = 4, loss = Loss.MSE)",
            "abstract class NoVector {",
            "    @Dense(units = 1) Layer out;",
            "}",
        };
        JavaFileObject source = source("NoVector", body);
        Compilation compilation = com.google.testing.compile.Compiler.javac().withProcessors(new KilnProcessor()).compile(source);
        assertThat(compilation).hadErrorCount(1);
        assertThat(compilation).hadErrorContaining("[VectorModuleMissing] Kiln's generated code uses the Vector API, but javac cannot see the module jdk.incubator.vector. "
                + "Add '--add-modules jdk.incubator.vector' to the compiler arguments").inFile(source).onLine(4).atColumn(1);
    }

    @Test
    void oneBadNetworkDoesNotStopTheOthers(@TempDir Path out) throws IOException {
        JavaFileObject bad = source("Broken",
                "@Network(input = 4, loss = Loss.MSE)",
                "abstract class Broken {",
                "    @Dense(units = -3) Layer out;",
                "}");
        JavaFileObject good = source("Fine",
                "@Network(input = 4, loss = Loss.MSE)",
                "abstract class Fine {",
                "    @Dense(units = 2) Layer out;",
                "}");
        Compilation compilation = Compiler.compile(bad, good);
        assertThat(compilation).hadErrorCount(1);
        assertThat(compilation).hadErrorContaining("[UnitsNotPositive] 'out' declares units = -3");

        // compile-testing hides generated files when compilation fails, so look at javac's own output
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        try (StandardJavaFileManager files = javac.getStandardFileManager(null, null, null)) {
            files.setLocationFromPaths(StandardLocation.SOURCE_OUTPUT, List.of(out));
            files.setLocationFromPaths(StandardLocation.CLASS_OUTPUT, List.of(out));
            javac.getTask(null, files, d -> { }, List.of("--add-modules", "jdk.incubator.vector", "-proc:full"), null, List.of(bad, good))
                    .call();
        }
        assertTrue(Files.exists(out.resolve("test/FineModel.java")), "the good network is still generated");
        assertFalse(Files.exists(out.resolve("test/BrokenModel.java")), "nothing is written for a network with errors");
    }

    @Test
    void everyProblemInOneNetworkIsReported() {
        JavaFileObject source = source("Many",
                "@Network(input = 0, loss = Loss.MSE)",
                "final class Many {",
                "    @Dense(units = 2) private Layer out;",
                "}");
        Compilation compilation = Compiler.compile(source);
        assertThat(compilation).hadErrorCount(3);
        assertThat(compilation).hadErrorContaining("[FinalNetwork]");
        assertThat(compilation).hadErrorContaining("[InputNotPositive]");
        assertThat(compilation).hadErrorContaining("[LayerFieldPrivate]");
    }
}
