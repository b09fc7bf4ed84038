package dev.kiln.processor.validate;

import dev.kiln.processor.model.Shape;

/**
 * How the shape a layer receives came about, for messages: {@code input (28, 28, 1) -> conv1
 * (26, 26, 32) -> pool1 (13, 13, 32)}.
 *
 * @param fromInput whether the shape is the network's input itself, with no layer before
 */
public record Trace(String text, boolean fromInput) {

    static Trace input(Shape shape) {
        return new Trace("input " + shape, true);
    }

    /** This trace followed by a layer and its output shape. */
    Trace then(String layer, Shape output) {
        return new Trace(text + " -> " + layer + " " + output, false);
    }

    @Override
    public String toString() {
        return text;
    }
}
