package dev.kiln.processor.write;

import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.MethodSpec;
import com.palantir.javapoet.ParameterSpec;
import java.util.List;
import javax.lang.model.element.Modifier;

/**
 * One kernel of the generated class: a method of the {@code Ops} interface with its vector body
 * and its scalar twin, which share the signature, and the private methods the vector body calls.
 * Register tiles go in helpers of their own: C2 inlines only so much code into one compilation, and
 * a kernel with every tile inline would leave some Vector API calls not inlined, boxing vectors.
 */
record Kernel(String name, String doc, List<ParameterSpec> parameters, CodeBlock vector, CodeBlock scalar, List<MethodSpec> vectorHelpers) {

    Kernel(String name, String doc, List<ParameterSpec> parameters, CodeBlock vector, CodeBlock scalar) {
        this(name, doc, parameters, vector, scalar, List.of());
    }

    MethodSpec declaration() {
        return MethodSpec.methodBuilder(name)
                .addJavadoc(doc)
                .addModifiers(Modifier.PUBLIC, Modifier.ABSTRACT)
                .addParameters(parameters)
                .build();
    }

    MethodSpec vectorImplementation() {
        return implementation(vector);
    }

    MethodSpec scalarImplementation() {
        return implementation(scalar);
    }

    private MethodSpec implementation(CodeBlock body) {
        return MethodSpec.methodBuilder(name)
                .addAnnotation(Override.class)
                .addModifiers(Modifier.PUBLIC)
                .addParameters(parameters)
                .addCode(body)
                .build();
    }

    static ParameterSpec floats(String name) {
        return ParameterSpec.builder(float[].class, name).build();
    }

    static ParameterSpec ints(String name) {
        return ParameterSpec.builder(int[].class, name).build();
    }

    static ParameterSpec integer(String name) {
        return ParameterSpec.builder(int.class, name).build();
    }

    static ParameterSpec real(String name) {
        return ParameterSpec.builder(float.class, name).build();
    }
}
