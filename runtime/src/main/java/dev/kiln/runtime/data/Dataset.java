package dev.kiln.runtime.data;

import java.util.Arrays;

/**
 * Samples and their targets in two flat row-major arrays: {@code features} holds {@code size}
 * rows of {@code featureSize} floats, {@code targets} holds {@code size} rows of
 * {@code targetSize} floats (a class index for sparse cross-entropy, else one value per output).
 */
public final class Dataset {
    private final float[] features;
    private final int[] featureShape;
    private final int featureSize;
    private final float[] targets;
    private final int targetSize;
    private final int size;

    public Dataset(float[] features, int[] featureShape, float[] targets, int targetSize) {
        int featureSize = 1;
        for (int d : featureShape) {
            if (d <= 0) {
                throw new IllegalArgumentException("feature shape " + Arrays.toString(featureShape) + " has a dimension that is not positive");
            }
            featureSize *= d;
        }
        if (targetSize <= 0) {
            throw new IllegalArgumentException("target size " + targetSize + " is not positive");
        }
        if (features.length % featureSize != 0) {
            throw new IllegalArgumentException(features.length + " feature floats are not a whole number of samples of " + featureSize);
        }
        int size = features.length / featureSize;
        if (targets.length != (long) size * targetSize) {
            throw new IllegalArgumentException(size + " samples need " + (long) size * targetSize + " target floats (" + targetSize
                    + " each) but " + targets.length + " were given");
        }
        this.features = features;
        this.featureShape = featureShape.clone();
        this.featureSize = featureSize;
        this.targets = targets;
        this.targetSize = targetSize;
        this.size = size;
    }

    /** The number of samples. */
    public int size() {
        return size;
    }

    /** The features, {@code (size, featureSize)}; the array itself, not a copy. */
    public float[] features() {
        return features;
    }

    public int[] featureShape() {
        return featureShape.clone();
    }

    public int featureSize() {
        return featureSize;
    }

    /** The targets, {@code (size, targetSize)}; the array itself, not a copy. */
    public float[] targets() {
        return targets;
    }

    public int targetSize() {
        return targetSize;
    }

    /** A new dataset of the samples at {@code indices}, in that order. */
    public Dataset select(int[] indices) {
        float[] x = new float[indices.length * featureSize];
        float[] y = new float[indices.length * targetSize];
        for (int k = 0; k < indices.length; k++) {
            int i = indices[k];
            if (i < 0 || i >= size) {
                throw new IndexOutOfBoundsException("sample " + i + " of a dataset of " + size);
            }
            System.arraycopy(features, i * featureSize, x, k * featureSize, featureSize);
            System.arraycopy(targets, i * targetSize, y, k * targetSize, targetSize);
        }
        return new Dataset(x, featureShape, y, targetSize);
    }

    /** A copy of one sample's features, {@code (featureSize)}: the input of {@code model.predict}. */
    public float[] features(int sample) {
        if (sample < 0 || sample >= size) {
            throw new IndexOutOfBoundsException("sample " + sample + " of a dataset of " + size);
        }
        return Arrays.copyOfRange(features, sample * featureSize, (sample + 1) * featureSize);
    }

    /** A copy of one sample's targets, {@code (targetSize)}: its class index for sparse cross-entropy. */
    public float[] targets(int sample) {
        if (sample < 0 || sample >= size) {
            throw new IndexOutOfBoundsException("sample " + sample + " of a dataset of " + size);
        }
        return Arrays.copyOfRange(targets, sample * targetSize, (sample + 1) * targetSize);
    }

    /** A new dataset of the samples from {@code from} (inclusive) to {@code to} (exclusive). */
    public Dataset slice(int from, int to) {
        if (from < 0 || to > size || from > to) {
            throw new IndexOutOfBoundsException("slice [" + from + ", " + to + ") of a dataset of " + size);
        }
        return new Dataset(Arrays.copyOfRange(features, from * featureSize, to * featureSize), featureShape,
                Arrays.copyOfRange(targets, from * targetSize, to * targetSize), targetSize);
    }
}
