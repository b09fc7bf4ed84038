package dev.kiln.processor;

import static com.google.testing.compile.Compiler.javac;

import com.google.testing.compile.Compilation;
import com.google.testing.compile.JavaFileObjects;
import dev.kiln.runtime.Kernels;
import dev.kiln.runtime.Model;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.InvocationTargetException;
import java.util.HashMap;
import java.util.Map;
import javax.tools.JavaFileObject;

/** Compiles network sources with Kiln's processor in memory and loads the generated models. */
final class Compiler {
    private Compiler() {
    }

    static Compilation compile(JavaFileObject... sources) {
        return javac()
                .withProcessors(new KilnProcessor())
                .withOptions("--add-modules", "jdk.incubator.vector", "-Xlint:-incubating")
                .compile(sources);
    }

    /** A source file from the test resources, such as {@code networks/dev/kiln/test/DenseSparse.java}. */
    static JavaFileObject resource(String path) {
        return JavaFileObjects.forResource(path);
    }

    static JavaFileObject source(String qualifiedName, String... lines) {
        return JavaFileObjects.forSourceLines(qualifiedName, lines);
    }

    /** Loads every class the compilation produced. */
    static ClassLoader loader(Compilation compilation) {
        Map<String, byte[]> classes = classFiles(compilation);
        return new ClassLoader(Compiler.class.getClassLoader()) {
            @Override
            protected Class<?> findClass(String name) throws ClassNotFoundException {
                byte[] bytes = classes.get(name);
                if (bytes == null) {
                    throw new ClassNotFoundException(name);
                }
                return defineClass(name, bytes, 0, bytes.length);
            }
        };
    }

    /** The class files of a compilation by binary name. */
    static Map<String, byte[]> classFiles(Compilation compilation) {
        Map<String, byte[]> classes = new HashMap<>();
        for (JavaFileObject file : compilation.generatedFiles()) {
            if (file.getKind() == JavaFileObject.Kind.CLASS) {
                String name = file.toUri().getPath().replaceFirst("^/CLASS_OUTPUT/", "").replace(".class", "").replace('/', '.');
                try (var in = file.openInputStream()) {
                    classes.put(name, in.readAllBytes());
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        }
        return classes;
    }

    static Model newModel(ClassLoader loader, String className, long seed, Kernels.Kind kernels) {
        try {
            Class<?> type = loader.loadClass(className);
            return (Model) type.getConstructor(long.class, Kernels.Kind.class).newInstance(seed, kernels);
        } catch (ReflectiveOperationException e) {
            Throwable cause = e instanceof InvocationTargetException ite ? ite.getCause() : e;
            throw new AssertionError("cannot create " + className + ": " + cause, cause);
        }
    }
}
