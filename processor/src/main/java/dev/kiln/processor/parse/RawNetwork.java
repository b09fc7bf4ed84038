package dev.kiln.processor.parse;

import java.util.List;
import java.util.Map;
import javax.lang.model.element.AnnotationMirror;
import javax.lang.model.element.AnnotationValue;
import javax.lang.model.element.TypeElement;

/** A {@code @Network} class as written: its annotation's values and its layer fields in order. */
public record RawNetwork(
        TypeElement type,
        AnnotationMirror annotation,
        Map<String, AnnotationValue> values,
        Map<String, AnnotationValue> written,
        List<RawLayer> layers,
        List<RawLayer> extraLayerAnnotations) {

    /** The written value of {@code attribute}, or null when the default is in force. */
    public AnnotationValue writtenValue(String attribute) {
        return written.get(attribute);
    }
}
