package dev.kiln.processor.validate;

import java.util.ArrayList;
import java.util.List;
import javax.annotation.processing.Messager;
import javax.lang.model.element.AnnotationMirror;
import javax.lang.model.element.AnnotationValue;
import javax.lang.model.element.Element;
import javax.tools.Diagnostic;

/**
 * The problems found in one declaration, each pointing at the narrowest place: the element, the
 * annotation and, where there is one, the exact annotation value.
 */
public final class Report {

    /** One problem and where it is. */
    public record Item(Element element, AnnotationMirror annotation, AnnotationValue value, String message) {
    }

    private final List<Item> errors = new ArrayList<>();

    public void error(Element element, AnnotationMirror annotation, AnnotationValue value, Message message, Object... args) {
        errors.add(new Item(element, annotation, value, message.format(args)));
    }

    public void error(Element element, Message message, Object... args) {
        error(element, null, null, message, args);
    }

    public boolean hasErrors() {
        return !errors.isEmpty();
    }

    public List<Item> errors() {
        return List.copyOf(errors);
    }

    public void printTo(Messager messager) {
        for (Item item : errors) {
            if (item.value() != null) {
                messager.printMessage(Diagnostic.Kind.ERROR, item.message(), item.element(), item.annotation(), item.value());
            } else if (item.annotation() != null) {
                messager.printMessage(Diagnostic.Kind.ERROR, item.message(), item.element(), item.annotation());
            } else {
                messager.printMessage(Diagnostic.Kind.ERROR, item.message(), item.element());
            }
        }
    }
}
