package dev.kiln.processor.validate;

import java.util.List;
import java.util.Locale;
import javax.lang.model.element.AnnotationValue;
import javax.lang.model.element.VariableElement;

/** Reads annotation values whose types javac has already checked. */
final class Values {
    private Values() {
    }

    static int intOf(AnnotationValue value) {
        return (Integer) value.getValue();
    }

    static float floatOf(AnnotationValue value) {
        return (Float) value.getValue();
    }

    static boolean booleanOf(AnnotationValue value) {
        return (Boolean) value.getValue();
    }

    static String stringOf(AnnotationValue value) {
        return (String) value.getValue();
    }

    static <E extends Enum<E>> E enumOf(AnnotationValue value, Class<E> type) {
        return Enum.valueOf(type, ((VariableElement) value.getValue()).getSimpleName().toString());
    }

    @SuppressWarnings("unchecked")
    static List<? extends AnnotationValue> listOf(AnnotationValue value) {
        return (List<? extends AnnotationValue>) value.getValue();
    }

    /** {@code hiddenLayer} becomes {@code HIDDEN_LAYER}, the prefix of a layer's constants. */
    static String constantName(String field) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < field.length(); i++) {
            char c = field.charAt(i);
            if (Character.isUpperCase(c) && i > 0 && !Character.isUpperCase(field.charAt(i - 1))) {
                out.append('_');
            }
            out.append(c);
        }
        return out.toString().toUpperCase(Locale.ROOT);
    }
}
