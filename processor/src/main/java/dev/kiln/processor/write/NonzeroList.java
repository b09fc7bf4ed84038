package dev.kiln.processor.write;

import static dev.kiln.processor.write.Vectors.FLOAT_VECTOR;
import static dev.kiln.processor.write.Vectors.VECTOR_OPERATORS;
import static dev.kiln.processor.write.Vectors.VECTOR_SPECIES;

import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.FieldSpec;
import com.palantir.javapoet.MethodSpec;
import com.palantir.javapoet.ParameterizedTypeName;
import com.palantir.javapoet.TypeName;
import java.util.List;
import javax.lang.model.element.Modifier;

/**
 * The vector helper that lists the inputs of one row that are not zero, for the single-row forward
 * of Dense layers, and the fields it reads. It looks at 4 inputs at a time whatever the preferred
 * vector length (128-bit vectors exist on every platform with the Vector API): one compare gives a
 * mask of 4 bits, and that mask's row of a 16 x 4 table, plus the inputs' first index, is the list
 * of their nonzero indices, stored at the end of the list in one vector store.
 */
final class NonzeroList {
    static final String NAME = "listNonzero";
    private static final ClassName INT_VECTOR = ClassName.get("jdk.incubator.vector", "IntVector");
    private static final int QUAD = 4;

    private NonzeroList() {
    }

    /*
     * private static final VectorSpecies<Float> QUAD = FloatVector.SPECIES_128;
     * private static final VectorSpecies<Integer> QUAD_INDICES = IntVector.SPECIES_128;
     * private static final int[] QUAD_LANES = quadLanes();
     */
    static List<FieldSpec> fields() {
        return List.of(
                FieldSpec.builder(ParameterizedTypeName.get(VECTOR_SPECIES, TypeName.get(Float.class)), "QUAD",
                        Modifier.PRIVATE, Modifier.STATIC, Modifier.FINAL).initializer("$T.SPECIES_128", FLOAT_VECTOR)
                        .addJavadoc("4 float lanes, on every platform: the inputs that $L compares at once.\n", NAME).build(),
                FieldSpec.builder(ParameterizedTypeName.get(VECTOR_SPECIES, TypeName.get(Integer.class)), "QUAD_INDICES",
                        Modifier.PRIVATE, Modifier.STATIC, Modifier.FINAL).initializer("$T.SPECIES_128", INT_VECTOR).build(),
                FieldSpec.builder(int[].class, "QUAD_LANES", Modifier.PRIVATE, Modifier.STATIC, Modifier.FINAL)
                        .addJavadoc("For each mask of 4 lanes, row mask: the lanes that are set, in order; the rest of the row is 0.\n")
                        .initializer("quadLanes()").build());
    }

    static List<MethodSpec> methods() {
        return List.of(quadLanes(), listNonzero());
    }

    /*
     * for (int mask = 0; mask < 16; mask++) { for each set lane, in order: lanes[mask * 4 + count++] = lane; }
     */
    private static MethodSpec quadLanes() {
        return MethodSpec.methodBuilder("quadLanes")
                .addJavadoc("The table QUAD_LANES: row mask lists the set bits of mask, lowest first.\n")
                .addModifiers(Modifier.PRIVATE, Modifier.STATIC)
                .returns(int[].class)
                .addStatement("int[] lanes = new int[$L]", (1 << QUAD) * QUAD)
                .beginControlFlow("for (int mask = 0; mask < $L; mask++)", 1 << QUAD)
                .addStatement("int count = 0")
                .beginControlFlow("for (int lane = 0; lane < $L; lane++)", QUAD)
                .beginControlFlow("if ((mask & 1 << lane) != 0)")
                .addStatement("lanes[mask * $L + count++] = lane", QUAD)
                .endControlFlow()
                .endControlFlow()
                .endControlFlow()
                .addStatement("return lanes")
                .build();
    }

    /*
     * int count = 0;
     * for (i = 0; i + 4 <= n; i += 4) {
     *     int mask = (int) FloatVector.fromArray(QUAD, x, from + i).compare(NE, 0f).toLong();
     *     IntVector.fromArray(QUAD_INDICES, QUAD_LANES, mask * 4).add(i).intoArray(nonzero, count);
     *     count += Integer.bitCount(mask);
     * }
     * then the last up to 3 inputs one by one; return count;
     */
    private static MethodSpec listNonzero() {
        return MethodSpec.methodBuilder(NAME)
                .addJavadoc("Lists in nonzero, in order, the indices i < n whose x[from + i] is not zero, and returns how many there are.\n"
                        + "Each store writes 4 indices at the end of the list, count <= i of them listed so far, so it stays within\n"
                        + "the first n entries; the lanes past the inputs that are not zero are overwritten by the next store.\n")
                .addModifiers(Modifier.PRIVATE, Modifier.STATIC)
                .returns(int.class)
                .addParameter(float[].class, "x")
                .addParameter(int.class, "from")
                .addParameter(int.class, "n")
                .addParameter(int[].class, "nonzero")
                .addStatement("int count = 0")
                .addStatement("int i = 0")
                .beginControlFlow("for (; i + $L <= n; i += $L)", QUAD, QUAD)
                .addStatement("int mask = (int) $T.fromArray(QUAD, x, from + i).compare($T.NE, 0f).toLong()", FLOAT_VECTOR, VECTOR_OPERATORS)
                .addStatement("$T.fromArray(QUAD_INDICES, QUAD_LANES, mask * $L).add(i).intoArray(nonzero, count)", INT_VECTOR, QUAD)
                .addStatement("count += Integer.bitCount(mask)")
                .endControlFlow()
                .beginControlFlow("for (; i < n; i++)")
                .addStatement("nonzero[count] = i")
                .addStatement("count += x[from + i] != 0f ? 1 : 0")
                .endControlFlow()
                .addStatement("return count")
                .build();
    }
}
