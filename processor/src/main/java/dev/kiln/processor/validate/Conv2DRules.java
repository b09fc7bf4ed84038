package dev.kiln.processor.validate;

import dev.kiln.annotations.Activation;
import dev.kiln.annotations.Padding;
import dev.kiln.processor.model.Conv2DLayer;
import dev.kiln.processor.model.LayerModel;
import dev.kiln.processor.model.Shape;
import dev.kiln.processor.model.Tensor;
import dev.kiln.processor.model.Window;
import dev.kiln.processor.parse.RawLayer;
import java.util.List;
import java.util.Optional;

/** {@code @Conv2D}: positive filters, kernel and stride, an image input the kernel fits. */
final class Conv2DRules implements LayerRules {

    @Override
    public Optional<LayerModel> check(RawLayer layer, Shape input, Trace trace, int offset, Report report) {
        String name = layer.name();
        int filters = Values.intOf(layer.values().get("filters"));
        Activation activation = Values.enumOf(layer.values().get("activation"), Activation.class);
        Padding padding = Values.enumOf(layer.values().get("padding"), Padding.class);
        float slope = Values.floatOf(layer.values().get("negativeSlope"));
        boolean ok = true;
        if (filters <= 0) {
            report.error(layer.field(), layer.annotation(), layer.writtenValue("filters"), Message.FILTERS_NOT_POSITIVE, name, filters);
            ok = false;
        }
        Optional<int[]> kernel = Pairs.window(layer, "kernel", "kernel", 3, report);
        Optional<int[]> stride = Pairs.stride(layer, report);
        ok &= kernel.isPresent() && stride.isPresent();
        ok &= DenseRules.checkSlope(layer, activation, slope, report);
        if (activation == Activation.SOFTMAX) {
            report.error(layer.field(), layer.annotation(), layer.writtenValue("activation"), Message.SOFTMAX_NEEDS_FLAT, name, "Conv2D");
            ok = false;
        }
        ok &= Pairs.checkImageInput(layer, input, trace, report);
        if (!ok) {
            return Optional.empty();
        }
        int height = input.dims().get(0);
        int width = input.dims().get(1);
        int channels = input.dims().get(2);
        Window window = Window.of(height, width, kernel.get()[0], kernel.get()[1], stride.get()[0], stride.get()[1], padding);
        if (!window.fits()) {
            report.error(layer.field(), layer.annotation(), layer.writtenValue("kernel"), Message.KERNEL_TOO_LARGE,
                    name, window.size(), height, width, trace, name, window.size(), height, width);
            return Optional.empty();
        }
        long outputs = (long) window.outHeight() * window.outWidth() * filters;
        long weights = (long) filters * channels * window.height() * window.width();
        long padded = (long) window.paddedHeight() * window.paddedWidth() * channels;
        if (Math.max(outputs, Math.max(weights, padded)) > Integer.MAX_VALUE) {
            String what = outputs >= weights ? "floats for its output" : "floats for its weight";
            report.error(layer.field(), layer.annotation(), null, Message.TOO_LARGE, name, Math.max(outputs, Math.max(weights, padded)), what,
                    Integer.MAX_VALUE, trace, name, "(" + window.outHeight() + ", " + window.outWidth() + ", " + filters + ")");
            return Optional.empty();
        }
        Shape output = Shape.of(window.outHeight(), window.outWidth(), filters);
        String constant = Values.constantName(name);
        Tensor weight = new Tensor(name + ".weight", constant + "_WEIGHT", offset, List.of(filters, channels, window.height(), window.width()));
        Optional<Tensor> bias = Values.booleanOf(layer.values().get("bias"))
                ? Optional.of(new Tensor(name + ".bias", constant + "_BIAS", offset + weight.size(), List.of(filters)))
                : Optional.empty();
        return Optional.of(new Conv2DLayer(name, input, output, window, filters, activation, slope, weight, bias));
    }
}
