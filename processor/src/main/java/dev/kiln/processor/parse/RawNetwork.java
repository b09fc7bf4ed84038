package dev.kiln.processor.parse;

import java.util.List;
import java.util.Map;
import javax.lang.model.element.AnnotationMirror;
import javax.lang.model.element.AnnotationValue;
import javax.lang.model.element.TypeElement;
import javax.lang.model.element.VariableElement;

/**
 * A {@code @Network} class as written: its annotation's values, its layer fields in order (inherited
 * ones first), further layer annotations on those fields, and fields of type Layer without one.
 */
public record RawNetwork(
        TypeElement type,
        AnnotationMirror annotation,
        Map<String, AnnotationValue> values,
        Map<String, AnnotationValue> written,
        List<RawLayer> layers,
        List<RawLayer> extraLayerAnnotations,
        List<VariableElement> unannotatedLayerFields) {

    /** The written value of {@code attribute}, or null when the default is in force. */
    public AnnotationValue writtenValue(String attribute) {
        return written.get(attribute);
    }
}
