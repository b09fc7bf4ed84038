package dev.kiln.processor.parse;

import java.util.Map;
import javax.lang.model.element.AnnotationMirror;
import javax.lang.model.element.AnnotationValue;
import javax.lang.model.element.VariableElement;

/**
 * One layer field as written: the field, its layer annotation, and the annotation's values by
 * name (defaults filled in). {@code written} holds only the values the user wrote, so a
 * diagnostic can point at the exact value.
 */
public record RawLayer(
        VariableElement field,
        AnnotationMirror annotation,
        String kind,
        Map<String, AnnotationValue> values,
        Map<String, AnnotationValue> written) {

    public String name() {
        return field.getSimpleName().toString();
    }

    /** The written value of {@code attribute}, or null when the default is in force. */
    public AnnotationValue writtenValue(String attribute) {
        return written.get(attribute);
    }
}
