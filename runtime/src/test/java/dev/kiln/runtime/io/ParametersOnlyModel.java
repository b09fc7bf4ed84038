package dev.kiln.runtime.io;

import dev.kiln.annotations.Loss;
import dev.kiln.runtime.Model;
import dev.kiln.runtime.Parameters;

/** A model that only has a name and parameters: all that weight files use. */
record ParametersOnlyModel(String name, Parameters parameters) implements Model {

    @Override
    public int[] inputShape() {
        throw new UnsupportedOperationException();
    }

    @Override
    public int inputSize() {
        throw new UnsupportedOperationException();
    }

    @Override
    public int outputSize() {
        throw new UnsupportedOperationException();
    }

    @Override
    public Loss loss() {
        throw new UnsupportedOperationException();
    }

    @Override
    public int targetSize() {
        throw new UnsupportedOperationException();
    }

    @Override
    public void predict(float[] input, float[] output) {
        throw new UnsupportedOperationException();
    }

    @Override
    public void predict(float[] inputs, int batch, float[] outputs) {
        throw new UnsupportedOperationException();
    }

    @Override
    public float[] forward(float[] inputs, int offset, int batch) {
        throw new UnsupportedOperationException();
    }

    @Override
    public float loss(float[] targets, int offset, float[] sampleWeights) {
        throw new UnsupportedOperationException();
    }

    @Override
    public float[] backward() {
        throw new UnsupportedOperationException();
    }

    @Override
    public float[] backward(float[] outputGradient, int offset) {
        throw new UnsupportedOperationException();
    }

    @Override
    public void backwardParameters() {
        throw new UnsupportedOperationException();
    }

    @Override
    public void zeroGrad() {
        throw new UnsupportedOperationException();
    }

    @Override
    public Model replica() {
        throw new UnsupportedOperationException("only parameters");
    }

    @Override
    public dev.kiln.runtime.UseGuard.Claim claim() {
        return new dev.kiln.runtime.UseGuard("ParametersOnlyModel").claim();
    }

    @Override
    public String summary() {
        return getClass().getSimpleName() + "\n";
    }
}
