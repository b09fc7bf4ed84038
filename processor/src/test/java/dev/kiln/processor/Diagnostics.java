package dev.kiln.processor;

import static com.google.testing.compile.CompilationSubject.assertThat;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.testing.compile.Compilation;
import java.util.ArrayList;
import java.util.List;
import javax.tools.JavaFileObject;

/** Sources of bad declarations in package {@code test}, and the check that each gets exactly one error, where it belongs. */
final class Diagnostics {
    private Diagnostics() {
    }

    static final String[] IMPORTS = {
        "package test;",
        "import dev.kiln.annotations.*;",
        "import dev.kiln.runtime.Layer;",
    };

    /** A source in package test: three import lines, then {@code body}, so body line k is line k + 3. */
    static JavaFileObject source(String name, String... body) {
        List<String> lines = new ArrayList<>(List.of(IMPORTS));
        lines.addAll(List.of(body));
        return Compiler.source("test." + name, lines.toArray(String[]::new));
    }

    /**
     * Compiles and expects exactly one error containing {@code message}, on body line
     * {@code bodyLine} (1-based) at the column where {@code at} starts on that line.
     */
    static void expectOneError(JavaFileObject source, String[] body, String message, int bodyLine, String at) {
        Compilation compilation = Compiler.compile(source);
        assertThat(compilation).failed();
        assertThat(compilation).hadErrorCount(1);
        String line = body[bodyLine - 1];
        int column = line.indexOf(at);
        assertTrue(column >= 0, "'" + at + "' is not on line " + bodyLine + ": " + line);
        assertThat(compilation).hadErrorContaining(message).inFile(source).onLine(bodyLine + IMPORTS.length).atColumn(column + 1);
    }

    static void check(String name, String message, int bodyLine, String at, String... body) {
        expectOneError(source(name, body), body, message, bodyLine, at);
    }

    /** A source in another package: {@code package <pkg>;} and the same two imports, then {@code body}. */
    static JavaFileObject sourceIn(String pkg, String name, String... body) {
        List<String> lines = new ArrayList<>(List.of("package " + pkg + ";", IMPORTS[1], IMPORTS[2]));
        lines.addAll(List.of(body));
        return Compiler.source(pkg + "." + name, lines.toArray(String[]::new));
    }

    /**
     * Compiles {@code sources} together and expects exactly one error containing {@code message},
     * in {@code file} (whose body is {@code body}) on body line {@code bodyLine} where {@code at} starts.
     */
    static void expectOneErrorAmong(List<JavaFileObject> sources, JavaFileObject file, String[] body, String message, int bodyLine, String at) {
        Compilation compilation = Compiler.compile(sources.toArray(JavaFileObject[]::new));
        assertThat(compilation).failed();
        assertThat(compilation).hadErrorCount(1);
        int column = body[bodyLine - 1].indexOf(at);
        assertTrue(column >= 0, "'" + at + "' is not on line " + bodyLine + ": " + body[bodyLine - 1]);
        assertThat(compilation).hadErrorContaining(message).inFile(file).onLine(bodyLine + IMPORTS.length).atColumn(column + 1);
    }
}
