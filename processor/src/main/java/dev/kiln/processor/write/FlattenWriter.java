package dev.kiln.processor.write;

import com.palantir.javapoet.CodeBlock;
import dev.kiln.processor.model.FlattenLayer;
import java.util.List;

/**
 * A Flatten layer writes nothing: activations are channels last, so the previous layer's
 * {@code (B, H, W, C)} buffer already is the {@code (B, H * W * C)} buffer the next layer reads.
 * {@link ModelWriter} lets the layers around it share that buffer and its gradient.
 */
final class FlattenWriter implements LayerWriter {
    private final FlattenLayer layer;

    FlattenWriter(FlattenLayer layer) {
        this.layer = layer;
    }

    @Override
    public boolean computes() {
        return false;
    }

    @Override
    public boolean hasActivation() {
        return false;
    }

    @Override
    public String detail() {
        return layer.input().rank() == 1 ? ": already flat" : ": the same buffer, read as flat";
    }

    @Override
    public List<Kernel> kernels() {
        return List.of();
    }

    @Override
    public void initialize(CodeBlock.Builder code) {
    }

    @Override
    public void forward(CodeBlock.Builder code, Forward io) {
    }

    @Override
    public void backwardParameters(CodeBlock.Builder code, Backward io) {
    }

    @Override
    public void backwardInput(CodeBlock.Builder code, Backward io) {
    }
}
