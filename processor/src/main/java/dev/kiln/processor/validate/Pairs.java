package dev.kiln.processor.validate;

import dev.kiln.processor.model.Shape;
import dev.kiln.processor.parse.RawLayer;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import javax.lang.model.element.AnnotationValue;

/**
 * Reads the {@code {height, width}} attributes of the 2D layers ({@code kernel}, {@code pool},
 * {@code stride}): one number means both, and every number must be at least 1.
 */
final class Pairs {
    private Pairs() {
    }

    /**
     * The window size {@code {height, width}} of {@code attribute}, or empty after reporting an error.
     *
     * @param what what the attribute sizes, for messages: {@code kernel}, {@code pooling window}
     */
    static Optional<int[]> window(RawLayer layer, String attribute, String what, int example, Report report) {
        return read(layer, attribute, example, report, Message.WINDOW_NOT_POSITIVE, what);
    }

    /** The stride {@code {vertical, horizontal}}, or empty after reporting an error. */
    static Optional<int[]> stride(RawLayer layer, Report report) {
        return read(layer, "stride", 2, report, Message.STRIDE_NOT_POSITIVE, null);
    }

    /** Whether the attribute holds no numbers (pooling's default stride). */
    static boolean isEmpty(RawLayer layer, String attribute) {
        return Values.listOf(layer.values().get(attribute)).isEmpty();
    }

    private static Optional<int[]> read(RawLayer layer, String attribute, int example, Report report, Message notPositive, String what) {
        List<? extends AnnotationValue> values = Values.listOf(layer.values().get(attribute));
        List<Integer> numbers = new ArrayList<>();
        for (AnnotationValue value : values) {
            numbers.add(Values.intOf(value));
        }
        AnnotationValue written = layer.writtenValue(attribute);
        String shown = shown(numbers);
        if (numbers.size() != 1 && numbers.size() != 2) {
            report.error(layer.field(), layer.annotation(), written, Message.WINDOW_DIMENSIONS,
                    layer.name(), attribute, shown, attribute, example, attribute, example, example + 2);
            return Optional.empty();
        }
        for (int i = 0; i < numbers.size(); i++) {
            if (numbers.get(i) <= 0) {
                AnnotationValue at = written == null ? null : values.get(i);
                if (what == null) {
                    report.error(layer.field(), layer.annotation(), at, notPositive, layer.name(), shown);
                } else {
                    report.error(layer.field(), layer.annotation(), at, notPositive, layer.name(), attribute, shown, what);
                }
                return Optional.empty();
            }
        }
        int height = numbers.get(0);
        int width = numbers.get(numbers.size() - 1);
        return Optional.of(new int[] {height, width});
    }

    /** {@code 3} for one number, {@code {3, 5}} for several, as written. */
    private static String shown(List<Integer> numbers) {
        return numbers.size() == 1 ? String.valueOf(numbers.get(0))
                : numbers.stream().map(String::valueOf).collect(Collectors.joining(", ", "{", "}"));
    }

    /**
     * Checks that a 2D layer gets an image {@code (height, width, channels)}; false after reporting
     * an error that says how to get one.
     */
    static boolean checkImageInput(RawLayer layer, Shape input, Trace trace, Report report) {
        if (input.rank() == 3) {
            return true;
        }
        String fix;
        if (!trace.fromInput()) {
            fix = "Put convolution and pooling layers before Flatten and Dense layers.";
        } else if (input.rank() == 2) {
            fix = "Add the channel dimension: input = {" + input.dims().get(0) + ", " + input.dims().get(1) + ", 1}.";
        } else if (input.rank() == 1) {
            int side = (int) Math.round(Math.sqrt(input.size()));
            fix = side * side == input.size()
                    ? "Declare the input as (height, width, channels), for example input = {" + side + ", " + side + ", 1} for " + side + "x" + side + " grey images."
                    : "Declare the input as (height, width, channels), for example input = {28, 28, 1}.";
        } else {
            fix = "Declare the input with three numbers: input = {height, width, channels}.";
        }
        report.error(layer.field(), layer.annotation(), null, Message.NEEDS_IMAGE_INPUT, layer.name(), layer.kind(), trace, input, fix);
        return false;
    }
}
