package dev.kiln.processor.validate;

import dev.kiln.annotations.Padding;
import dev.kiln.processor.model.LayerModel;
import dev.kiln.processor.model.Pooling2DLayer;
import dev.kiln.processor.model.Shape;
import dev.kiln.processor.model.Window;
import dev.kiln.processor.parse.RawLayer;
import java.util.Optional;

/** {@code @MaxPooling2D} and {@code @AveragePooling2D}: a positive window and stride that fit an image input. */
final class PoolingRules implements LayerRules {
    private final Pooling2DLayer.Op op;

    PoolingRules(Pooling2DLayer.Op op) {
        this.op = op;
    }

    @Override
    public Optional<LayerModel> check(RawLayer layer, Shape input, Trace trace, int offset, Report report) {
        String name = layer.name();
        Padding padding = Values.enumOf(layer.values().get("padding"), Padding.class);
        Optional<int[]> pool = Pairs.window(layer, "pool", "pooling window", 2, report);
        Optional<int[]> stride = Pairs.isEmpty(layer, "stride") ? pool : Pairs.stride(layer, report);
        boolean ok = pool.isPresent() && stride.isPresent();
        ok &= Pairs.checkImageInput(layer, input, trace, report);
        if (!ok) {
            return Optional.empty();
        }
        int height = input.dims().get(0);
        int width = input.dims().get(1);
        Window window = Window.of(height, width, pool.get()[0], pool.get()[1], stride.get()[0], stride.get()[1], padding);
        if (!window.fits()) {
            report.error(layer.field(), layer.annotation(), layer.writtenValue("pool"), Message.POOL_TOO_LARGE,
                    name, window.size(), height, width, trace, name, window.size(), height, width);
            return Optional.empty();
        }
        Shape output = Shape.of(window.outHeight(), window.outWidth(), input.dims().get(2));
        return Optional.of(new Pooling2DLayer(name, op, input, output, window));
    }
}
