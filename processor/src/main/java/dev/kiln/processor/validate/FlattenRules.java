package dev.kiln.processor.validate;

import dev.kiln.processor.model.FlattenLayer;
import dev.kiln.processor.model.LayerModel;
import dev.kiln.processor.model.Shape;
import dev.kiln.processor.parse.RawLayer;
import java.util.Optional;

/** {@code @Flatten}: takes any shape; a flat input stays as it is. */
final class FlattenRules implements LayerRules {

    @Override
    public Optional<LayerModel> check(RawLayer layer, Shape input, Trace trace, int offset, Report report) {
        return Optional.of(new FlattenLayer(layer.name(), input));
    }
}
