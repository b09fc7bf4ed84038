package dev.kiln.processor;

import static com.google.testing.compile.CompilationSubject.assertThat;
import static dev.kiln.processor.Diagnostics.check;
import static dev.kiln.processor.Diagnostics.expectOneErrorAmong;
import static dev.kiln.processor.Diagnostics.source;
import static dev.kiln.processor.Diagnostics.sourceIn;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.testing.compile.Compilation;
import dev.kiln.runtime.Kernels;
import dev.kiln.runtime.Model;
import dev.kiln.runtime.ParameterTensor;
import java.util.List;
import javax.tools.JavaFileObject;
import org.junit.jupiter.api.Test;

/**
 * The declarations around the layers: class names, inheritance, fields and methods of the network
 * class, and image layouts. Each bad one gets exactly one error where it belongs, as in
 * {@link DiagnosticsTest}.
 */
class DeclarationDiagnosticsTest {

    @Test
    void twoNetworksWithTheSameClassNameInOnePackage() {
        String[] first = {
            "@Network(input = 4, loss = Loss.MSE, className = \"Shared\")",
            "abstract class First {",
            "    @Dense(units = 1) Layer out;",
            "}",
        };
        String[] second = {
            "@Network(input = 4, loss = Loss.MSE, className = \"Shared\")",
            "abstract class Second {",
            "    @Dense(units = 1) Layer out;",
            "}",
        };
        JavaFileObject a = source("First", first);
        JavaFileObject b = source("Second", second);
        expectOneErrorAmong(List.of(a, b), b, second, "[GeneratedNameClash] test.Second also generates test.Shared, which Kiln already generates "
                + "for test.First; two networks cannot share a class. Choose another name with @Network(className = \"...\").", 1, "\"Shared\"");
    }

    @Test
    void aNestedAndATopLevelNetworkWithTheSameDefaultName() {
        String[] outer = {
            "class Outer {",
            "    @Network(input = 4, loss = Loss.MSE)",
            "    abstract static class Inner {",
            "        @Dense(units = 1) Layer out;",
            "    }",
            "}",
        };
        String[] flat = {
            "@Network(input = 4, loss = Loss.MSE)",
            "abstract class Outer_Inner {",
            "    @Dense(units = 1) Layer out;",
            "}",
        };
        JavaFileObject a = source("Outer", outer);
        JavaFileObject b = source("Outer_Inner", flat);
        expectOneErrorAmong(List.of(a, b), b, flat, "[GeneratedNameClash] test.Outer_Inner also generates test.Outer_InnerModel, which Kiln already "
                + "generates for test.Outer.Inner", 1, "@Network");
    }

    @Test
    void theClassNameOfTheNetworkItself() {
        check("Self", "[GeneratedNameTaken] Kiln generates test.Self for Self, but a type with that name already exists.",
                2, "class",
                "@Network(input = 4, loss = Loss.MSE, className = \"Self\")",
                "abstract class Self {",
                "    @Dense(units = 1) Layer out;",
                "}");
    }

    @Test
    void aKeywordAsClassName() {
        check("Keyword", "[ClassNameInvalid] className = \"class\" is not a valid Java class name. Use a simple name such as \"KeywordModel\".",
                1, "\"class\"",
                "@Network(input = 4, loss = Loss.MSE, className = \"class\")",
                "abstract class Keyword {",
                "    @Dense(units = 1) Layer out;",
                "}");
    }

    @Test
    void aQualifiedClassName() {
        check("Dotted", "[ClassNameInvalid] className = \"other.Model\" is not a valid Java class name.",
                1, "\"other.Model\"",
                "@Network(input = 4, loss = Loss.MSE, className = \"other.Model\")",
                "abstract class Dotted {",
                "    @Dense(units = 1) Layer out;",
                "}");
    }

    /** Layers inherited from a base class come first, in the base's order; the generated class sets them. */
    @Test
    void inheritedLayersComeFirst() throws Exception {
        JavaFileObject base = source("Base",
                "abstract class Base {",
                "    @Dense(units = 8, activation = Activation.RELU) Layer hidden;",
                "}");
        JavaFileObject derived = source("Derived",
                "@Network(input = 4, loss = Loss.SPARSE_SOFTMAX_CROSS_ENTROPY)",
                "abstract class Derived extends Base {",
                "    @Dense(units = 3) Layer out;",
                "}");
        Compilation compilation = Compiler.compile(base, derived);
        assertThat(compilation).succeededWithoutWarnings();
        Model model = Compiler.newModel(Compiler.loader(compilation), "test.DerivedModel", 1, Kernels.Kind.SCALAR);
        assertEquals(List.of("hidden.weight (8, 4)", "hidden.bias (8)", "out.weight (3, 8)", "out.bias (3)"),
                model.parameters().tensors().stream().map(ParameterTensor::toString).toList());
        java.lang.reflect.Field hidden = model.getClass().getSuperclass().getSuperclass().getDeclaredField("hidden");
        hidden.setAccessible(true);
        assertEquals("hidden: Dense [hidden.weight (8, 4), hidden.bias (8)]", hidden.get(model).toString(), "the generated class sets the inherited field");
    }

    /** A network extending another network has the base's layers and its own; both generate. */
    @Test
    void aNetworkExtendingANetwork() throws Exception {
        JavaFileObject base = source("Small",
                "@Network(input = 4, loss = Loss.MSE)",
                "abstract class Small {",
                "    @Dense(units = 2) Layer first;",
                "}");
        JavaFileObject derived = source("Larger",
                "@Network(input = 4, loss = Loss.MSE)",
                "abstract class Larger extends Small {",
                "    @Dense(units = 1) Layer second;",
                "}");
        Compilation compilation = Compiler.compile(base, derived);
        assertThat(compilation).succeededWithoutWarnings();
        ClassLoader loader = Compiler.loader(compilation);
        assertEquals(2, Compiler.newModel(loader, "test.SmallModel", 1, Kernels.Kind.SCALAR).outputSize());
        assertEquals(1, Compiler.newModel(loader, "test.LargerModel", 1, Kernels.Kind.SCALAR).outputSize());
        assertEquals(2 * 4 + 2 + 2 + 1, Compiler.newModel(loader, "test.LargerModel", 1, Kernels.Kind.SCALAR).parameters().size());
    }

    @Test
    void anInheritedLayerTheGeneratedClassCannotSee() {
        String[] base = {
            "public abstract class Remote {",
            "    @Dense(units = 8) Layer hidden;",
            "}",
        };
        String[] derived = {
            "@Network(input = 4, loss = Loss.MSE)",
            "abstract class Local extends other.Remote {",
            "    @Dense(units = 1) Layer out;",
            "}",
        };
        JavaFileObject remote = sourceIn("other", "Remote", base);
        expectOneErrorAmong(List.of(remote, source("Local", derived)), remote, base,
                "[LayerFieldNotVisible] layer field 'hidden' is declared in other.Remote, in another package, without 'protected' or 'public', "
                        + "so the generated LocalModel cannot set it. Make it protected.", 2, "hidden");
    }

    @Test
    void aLayerFieldHidingAnInheritedLayer() {
        String[] base = {
            "abstract class Lower {",
            "    @Dense(units = 8) Layer hidden;",
            "}",
        };
        String[] derived = {
            "@Network(input = 4, loss = Loss.MSE)",
            "abstract class Upper extends Lower {",
            "    @Dense(units = 1) Layer hidden;",
            "}",
        };
        JavaFileObject upper = source("Upper", derived);
        expectOneErrorAmong(List.of(source("Lower", base), upper), upper, derived,
                "[LayerFieldHidden] layer field 'hidden' hides the layer 'hidden' that test.Lower declares; every layer needs its own name.", 3, "hidden");
    }

    @Test
    void aLayerFieldWithoutAnnotation() {
        check("Forgot", "[LayerWithoutAnnotation] field 'middle' is a Layer but has no layer annotation, so it would stay null. "
                        + "Annotate it (for example '@Dense(units = 10) Layer middle;') or remove it.",
                4, "middle",
                "@Network(input = 4, loss = Loss.MSE)",
                "abstract class Forgot {",
                "    @Dense(units = 8) Layer hidden;",
                "    Layer middle;",
                "    @Dense(units = 1) Layer out;",
                "}");
    }

    @Test
    void anInheritedLayerFieldWithoutAnnotation() {
        String[] base = {
            "abstract class Bare {",
            "    Layer unused;",
            "}",
        };
        String[] derived = {
            "@Network(input = 4, loss = Loss.MSE)",
            "abstract class Dressed extends Bare {",
            "    @Dense(units = 1) Layer out;",
            "}",
        };
        JavaFileObject bare = source("Bare", base);
        expectOneErrorAmong(List.of(bare, source("Dressed", derived)), bare, base, "[LayerWithoutAnnotation] field 'unused' is a Layer", 2, "unused");
    }

    @Test
    void aChannelsFirstImage() {
        check("Torchy", "[ChannelsFirstInput] input = {1, 28, 28} looks like PyTorch's (channels, height, width), but Kiln's images are "
                        + "(height, width, channels), as in Keras. Declare input = {28, 28, 1}.",
                1, "{1, 28, 28}",
                "@Network(input = {1, 28, 28}, loss = Loss.SPARSE_SOFTMAX_CROSS_ENTROPY)",
                "abstract class Torchy {",
                "    @Conv2D(filters = 8, kernel = 3) Layer conv;",
                "    @Flatten Layer flat;",
                "    @Dense(units = 10) Layer out;",
                "}");
    }

    @Test
    void aChannelsFirstColourImageBeforePooling() {
        check("Rgb", "[ChannelsFirstInput] input = {3, 32, 32} looks like PyTorch's (channels, height, width)",
                1, "{3, 32, 32}",
                "@Network(input = {3, 32, 32}, loss = Loss.MSE)",
                "abstract class Rgb {",
                "    @MaxPooling2D Layer pool;",
                "    @Flatten Layer flat;",
                "    @Dense(units = 1) Layer out;",
                "}");
    }

    @Test
    void anAbstractMethod() {
        check("Unfinished", "[AbstractMethod] Unfinished declares the abstract method 'score(float[])', which the generated UnfinishedModel cannot implement. "
                        + "Give it a body or remove it.",
                4, "score",
                "@Network(input = 4, loss = Loss.MSE)",
                "abstract class Unfinished {",
                "    @Dense(units = 1) Layer out;",
                "    abstract float score(float[] x);",
                "}");
    }

    @Test
    void anAbstractMethodFromAnInterface() {
        check("Promised", "[InheritedAbstractMethod] Promised inherits the abstract method 'describe()' from test.Describable, which the generated "
                        + "PromisedModel cannot implement. Implement it in Promised.",
                2, "class",
                "@Network(input = 4, loss = Loss.MSE)",
                "abstract class Promised implements Describable {",
                "    @Dense(units = 1) Layer out;",
                "}",
                "interface Describable { String describe(); }");
    }

    @Test
    void anAbstractMethodFromABaseClass() {
        check("Child", "[InheritedAbstractMethod] Child inherits the abstract method 'size(int)' from test.Parent",
                2, "class",
                "@Network(input = 4, loss = Loss.MSE)",
                "abstract class Child extends Parent {",
                "    @Dense(units = 1) Layer out;",
                "}",
                "abstract class Parent { abstract int size(int n); }");
    }

    @Test
    void aMethodInheritedWithAModelName() {
        check("Heir", "[InheritedMemberClash] Heir inherits a method 'predict' from test.Helper, a name the generated HeirModel needs for Model.predict. "
                        + "Rename that method.",
                2, "class",
                "@Network(input = 4, loss = Loss.MSE)",
                "abstract class Heir extends Helper {",
                "    @Dense(units = 1) Layer out;",
                "}",
                "abstract class Helper { void predict(String s) {} }");
    }

    @Test
    void anEnum() {
        check("Colour", "[NotAClass] @Network goes on a class, but Colour is an enum.",
                2, "enum",
                "@Network(input = 4, loss = Loss.MSE)",
                "enum Colour { RED }");
    }

    @Test
    void aRecord() {
        check("Point", "[NotAClass] @Network goes on a class, but Point is a record.",
                2, "record",
                "@Network(input = 4, loss = Loss.MSE)",
                "record Point(int x) {}");
    }

    @Test
    void anAnnotationType() {
        check("Marker", "[NotAClass] @Network goes on a class, but Marker is an annotation type.",
                2, "interface",
                "@Network(input = 4, loss = Loss.MSE)",
                "@interface Marker {}");
    }

    @Test
    void onlyAPrivateConstructor() {
        check("Closed", "[NoConstructor] Closed has no constructor without parameters that the generated ClosedModel could call.",
                2, "class",
                "@Network(input = 4, loss = Loss.MSE)",
                "abstract class Closed {",
                "    private Closed() {}",
                "    @Dense(units = 1) Layer out;",
                "}");
    }

    @Test
    void aLayerFieldOfTypeString() {
        check("Stringly", "[LayerFieldType] layer field 'out' is declared as java.lang.String; declare it as dev.kiln.runtime.Layer.",
                3, "out",
                "@Network(input = 4, loss = Loss.MSE)",
                "abstract class Stringly {",
                "    @Dense(units = 1) String out;",
                "}");
    }
}
