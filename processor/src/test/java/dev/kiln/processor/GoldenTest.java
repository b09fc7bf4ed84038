package dev.kiln.processor;

import static com.google.testing.compile.CompilationSubject.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.testing.compile.Compilation;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.tools.JavaFileObject;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The generated sources match exact-text golden files, so a refactoring of the processor cannot
 * change what users read without a reviewed change to the goldens.
 *
 * <p>To accept a deliberate change, regenerate the goldens and review the diff:
 * {@code mvn -pl processor test -Dtest=GoldenTest -Dkiln.updateGoldens=true}.
 */
class GoldenTest {
    private static final Path GOLDENS = Path.of("src/test/resources/goldens");

    @ParameterizedTest
    @ValueSource(strings = {"Mlp", "DenseMse", "DenseCce", "Cnn"})
    void generatedSourceMatchesGolden(String network) throws IOException {
        Compilation compilation = Compiler.compile(Compiler.resource("networks/dev/kiln/test/" + network + ".java"));
        assertThat(compilation).succeededWithoutWarnings();
        JavaFileObject generated = compilation.generatedSourceFile("dev.kiln.test." + network + "Model").orElseThrow();
        String actual = generated.getCharContent(true).toString();
        Path golden = GOLDENS.resolve(network + "Model.java");
        if (Boolean.getBoolean("kiln.updateGoldens")) {
            Files.createDirectories(GOLDENS);
            Files.writeString(golden, actual, StandardCharsets.UTF_8);
        }
        assertEquals(Files.readString(golden, StandardCharsets.UTF_8), actual,
                "generated source differs from " + golden + "; if the change is intended, rerun with -Dkiln.updateGoldens=true and review the diff");
    }

    @ParameterizedTest
    @ValueSource(strings = {"Mlp", "DenseSparse", "CnnTails"})
    void generationIsDeterministic(String network) throws IOException {
        String first = source(network);
        String second = source(network);
        assertEquals(first, second);
    }

    private static String source(String network) throws IOException {
        Compilation compilation = Compiler.compile(Compiler.resource("networks/dev/kiln/test/" + network + ".java"));
        return compilation.generatedSourceFile("dev.kiln.test." + network + "Model").orElseThrow().getCharContent(true).toString();
    }
}
