package dev.kiln.processor.validate;

import dev.kiln.processor.model.LayerModel;
import dev.kiln.processor.model.Shape;
import dev.kiln.processor.parse.RawLayer;
import java.util.Optional;

/**
 * The checks and shape inference of one layer kind. Adding a layer kind means an annotation, one
 * of these, a model record and a writer; the pipeline stays as it is.
 */
public interface LayerRules {

    /**
     * Checks the layer's attributes against its input and builds the validated layer.
     *
     * @param input the shape the previous layers produce
     * @param trace how that shape came about, for messages: {@code input (784) -> hidden (128)}
     * @param offset where the layer's first tensor starts in the flat parameter vector
     * @return the layer, or empty when the report got an error
     */
    Optional<LayerModel> check(RawLayer layer, Shape input, Trace trace, int offset, Report report);
}
