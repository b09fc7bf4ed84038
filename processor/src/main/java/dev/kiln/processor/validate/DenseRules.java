package dev.kiln.processor.validate;

import dev.kiln.annotations.Activation;
import dev.kiln.processor.model.DenseLayer;
import dev.kiln.processor.model.LayerModel;
import dev.kiln.processor.model.Shape;
import dev.kiln.processor.model.Tensor;
import dev.kiln.processor.parse.RawLayer;
import java.util.List;
import java.util.Optional;
import javax.lang.model.element.AnnotationValue;

/** {@code @Dense}: positive units, a flat input, a sensible negative slope. */
final class DenseRules implements LayerRules {
    static final float DEFAULT_NEGATIVE_SLOPE = 0.01f;

    @Override
    public Optional<LayerModel> check(RawLayer layer, Shape input, Trace trace, int offset, Report report) {
        String name = layer.name();
        int units = Values.intOf(layer.values().get("units"));
        Activation activation = Values.enumOf(layer.values().get("activation"), Activation.class);
        float slope = Values.floatOf(layer.values().get("negativeSlope"));
        boolean ok = true;
        if (units <= 0) {
            report.error(layer.field(), layer.annotation(), layer.writtenValue("units"), Message.UNITS_NOT_POSITIVE, name, units);
            ok = false;
        }
        ok &= checkSlope(layer, activation, slope, report);
        if (input.rank() != 1) {
            String alternative = trace.fromInput() ? ", or declare the input flat: input = " + input.size() : "";
            report.error(layer.field(), layer.annotation(), null, Message.NEEDS_FLAT_INPUT, name, trace, input, name, input.size(), alternative);
            ok = false;
        }
        if (ok && (long) units * input.size() > Integer.MAX_VALUE) {
            report.error(layer.field(), layer.annotation(), layer.writtenValue("units"), Message.TOO_LARGE, name, (long) units * input.size(),
                    "floats for its weight", Integer.MAX_VALUE, trace, name, "(" + units + ")");
            ok = false;
        }
        if (!ok) {
            return Optional.empty();
        }
        int in = input.size();
        String constant = Values.constantName(name);
        Tensor weight = new Tensor(name + ".weight", constant + "_WEIGHT", offset, List.of(units, in), true);
        Optional<Tensor> bias = Values.booleanOf(layer.values().get("bias"))
                ? Optional.of(new Tensor(name + ".bias", constant + "_BIAS", offset + weight.size(), List.of(units)))
                : Optional.empty();
        return Optional.of(new DenseLayer(name, in, units, activation, slope, weight, bias));
    }

    /** The negative slope is written only with LEAKY_RELU, and is finite and >= 0; false after reporting. */
    static boolean checkSlope(RawLayer layer, Activation activation, float slope, Report report) {
        AnnotationValue slopeValue = layer.writtenValue("negativeSlope");
        if (slopeValue != null && activation != Activation.LEAKY_RELU) {
            report.error(layer.field(), layer.annotation(), slopeValue, Message.SLOPE_WITHOUT_LEAKY_RELU, layer.name(), slope, activation);
            return false;
        } else if (!Float.isFinite(slope) || slope < 0) {
            report.error(layer.field(), layer.annotation(), slopeValue, Message.NEGATIVE_SLOPE_INVALID, layer.name(), slope);
            return false;
        }
        return true;
    }
}
