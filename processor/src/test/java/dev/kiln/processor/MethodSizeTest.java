package dev.kiln.processor;

import static com.google.testing.compile.CompilationSubject.assertThat;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.testing.compile.Compilation;
import java.lang.classfile.Attributes;
import java.lang.classfile.ClassFile;
import java.lang.classfile.ClassModel;
import java.lang.classfile.MethodModel;
import java.lang.classfile.attribute.CodeAttribute;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Every generated method stays well under HotSpot's HugeMethodLimit (8000 bytes of bytecode),
 * beyond which a method is never JIT-compiled, including for a wide network and for CNNs with
 * every kernel tail.
 */
class MethodSizeTest {
    /** Half of HugeMethodLimit, to leave room for growth. */
    static final int LIMIT = 4000;

    @Test
    void generatedMethodsAreSmallEnoughToCompile() {
        Compilation compilation = Compiler.compile(
                Compiler.resource("networks/dev/kiln/test/Mlp.java"),
                Compiler.resource("networks/dev/kiln/test/DenseSparse.java"),
                Compiler.resource("networks/dev/kiln/test/DenseCce.java"),
                Compiler.source("dev.kiln.test.Wide",
                        "package dev.kiln.test;",
                        "import dev.kiln.annotations.*;",
                        "import dev.kiln.runtime.Layer;",
                        "@Network(input = 3073, loss = Loss.SPARSE_SOFTMAX_CROSS_ENTROPY)",
                        "abstract class Wide {",
                        "    @Dense(units = 1023, activation = Activation.RELU) Layer a;",
                        "    @Dense(units = 517, activation = Activation.LEAKY_RELU) Layer b;",
                        "    @Dense(units = 255, activation = Activation.TANH) Layer c;",
                        "    @Dense(units = 129, activation = Activation.SIGMOID) Layer d;",
                        "    @Dense(units = 100, activation = Activation.SOFTMAX) Layer e;",
                        "}"),
                Compiler.resource("networks/dev/kiln/test/Cnn.java"),
                Compiler.resource("networks/dev/kiln/test/CnnTails.java"),
                Compiler.source("dev.kiln.test.WideCnn",
                        "package dev.kiln.test;",
                        "import dev.kiln.annotations.*;",
                        "import dev.kiln.runtime.Layer;",
                        "@Network(input = {97, 101, 3}, loss = Loss.SPARSE_SOFTMAX_CROSS_ENTROPY)",
                        "abstract class WideCnn {",
                        "    @Conv2D(filters = 67, kernel = {7, 5}, stride = 2, padding = Padding.SAME, activation = Activation.LEAKY_RELU) Layer a;",
                        "    @MaxPooling2D(pool = 3, stride = 2, padding = Padding.SAME) Layer b;",
                        "    @Conv2D(filters = 130, kernel = 3, padding = Padding.SAME, activation = Activation.RELU) Layer c;",
                        "    @AveragePooling2D(pool = 2) Layer d;",
                        "    @Conv2D(filters = 33, kernel = 1, activation = Activation.TANH) Layer e;",
                        "    @Flatten Layer f;",
                        "    @Dense(units = 100, activation = Activation.SOFTMAX) Layer g;",
                        "}"));
        assertThat(compilation).succeededWithoutWarnings();
        List<String> methods = new ArrayList<>();
        int largest = 0;
        String largestName = "";
        for (Map.Entry<String, byte[]> entry : Compiler.classFiles(compilation).entrySet()) {
            if (!entry.getKey().endsWith("Model") && !entry.getKey().contains("Model$")) {
                continue;
            }
            ClassModel type = ClassFile.of().parse(entry.getValue());
            for (MethodModel method : type.methods()) {
                int size = method.findAttribute(Attributes.code()).map(CodeAttribute::codeLength).orElse(0);
                if (size > largest) {
                    largest = size;
                    largestName = entry.getKey() + "." + method.methodName().stringValue();
                }
                methods.add(entry.getKey() + "." + method.methodName().stringValue() + " " + size);
                assertTrue(size <= LIMIT, entry.getKey() + "." + method.methodName().stringValue() + " has " + size + " bytes of bytecode, over " + LIMIT);
            }
        }
        assertFalse(methods.isEmpty(), "no generated methods were found");
        System.out.println("largest generated method: " + largestName + ", " + largest + " bytes of bytecode, over " + methods.size() + " methods");
    }
}
