package dev.kiln.processor.parse;

import dev.kiln.annotations.LayerKind;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.lang.model.element.AnnotationMirror;
import javax.lang.model.element.AnnotationValue;
import javax.lang.model.element.Element;
import javax.lang.model.element.ElementKind;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.TypeElement;
import javax.lang.model.element.VariableElement;
import javax.lang.model.type.DeclaredType;
import javax.lang.model.util.ElementFilter;
import javax.lang.model.util.Elements;

/** Reads annotation mirrors into raw declarations; checks nothing. */
public final class NetworkParser {
    public static final String NETWORK = "dev.kiln.annotations.Network";
    /** The type of layer fields. */
    public static final String LAYER = "dev.kiln.runtime.Layer";

    private final Elements elements;

    public NetworkParser(Elements elements) {
        this.elements = elements;
    }

    /**
     * The network on {@code type}: its layer fields in order, those it inherits first (the base
     * class's before the subclass's), and the fields of type {@link #LAYER} without a layer
     * annotation.
     */
    public RawNetwork parse(TypeElement type) {
        AnnotationMirror network = find(type, NETWORK);
        List<RawLayer> layers = new ArrayList<>();
        List<RawLayer> extra = new ArrayList<>();
        List<VariableElement> unannotated = new ArrayList<>();
        for (TypeElement declaring : classChain(type)) {
            for (VariableElement field : ElementFilter.fieldsIn(declaring.getEnclosedElements())) {
                List<RawLayer> onField = layerAnnotations(field);
                if (!onField.isEmpty()) {
                    layers.add(onField.get(0));
                    extra.addAll(onField.subList(1, onField.size()));
                } else if (field.asType().toString().equals(LAYER)) {
                    unannotated.add(field);
                }
            }
        }
        return new RawNetwork(type, network, valuesWithDefaults(network), written(network), layers, extra, unannotated);
    }

    /** Whether {@code ancestor} is a superclass of {@code type}. */
    public static boolean inherits(TypeElement type, Element ancestor) {
        for (TypeElement t = superclass(type); t != null; t = superclass(t)) {
            if (t.equals(ancestor)) {
                return true;
            }
        }
        return false;
    }

    /** The classes from the topmost superclass below {@code Object} down to {@code type}. */
    private static List<TypeElement> classChain(TypeElement type) {
        List<TypeElement> chain = new ArrayList<>();
        for (TypeElement t = type; t != null; t = superclass(t)) {
            chain.add(0, t);
        }
        return chain;
    }

    private static TypeElement superclass(TypeElement type) {
        if (type.getSuperclass() instanceof DeclaredType declared && declared.asElement() instanceof TypeElement parent
                && !parent.getQualifiedName().contentEquals("java.lang.Object")) {
            return parent;
        }
        return null;
    }

    /** The layer annotations on an element, in source order. */
    public List<RawLayer> layerAnnotations(Element element) {
        List<RawLayer> found = new ArrayList<>();
        for (AnnotationMirror mirror : element.getAnnotationMirrors()) {
            TypeElement annotationType = (TypeElement) mirror.getAnnotationType().asElement();
            if (isLayerKind(annotationType) && element.getKind() == ElementKind.FIELD) {
                found.add(new RawLayer((VariableElement) element, mirror, annotationType.getSimpleName().toString(),
                        valuesWithDefaults(mirror), written(mirror)));
            }
        }
        return found;
    }

    public static boolean isLayerKind(TypeElement annotationType) {
        return annotationType.getAnnotation(LayerKind.class) != null;
    }

    private static AnnotationMirror find(Element element, String annotationName) {
        for (AnnotationMirror mirror : element.getAnnotationMirrors()) {
            if (((TypeElement) mirror.getAnnotationType().asElement()).getQualifiedName().contentEquals(annotationName)) {
                return mirror;
            }
        }
        throw new IllegalArgumentException(element + " has no @" + annotationName);
    }

    private Map<String, AnnotationValue> valuesWithDefaults(AnnotationMirror mirror) {
        return byName(elements.getElementValuesWithDefaults(mirror));
    }

    private static Map<String, AnnotationValue> written(AnnotationMirror mirror) {
        return byName(mirror.getElementValues());
    }

    private static Map<String, AnnotationValue> byName(Map<? extends ExecutableElement, ? extends AnnotationValue> values) {
        Map<String, AnnotationValue> byName = new LinkedHashMap<>();
        values.forEach((k, v) -> byName.put(k.getSimpleName().toString(), v));
        return byName;
    }
}
