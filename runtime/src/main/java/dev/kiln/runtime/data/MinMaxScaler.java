package dev.kiln.runtime.data;

import java.util.Arrays;

/**
 * Maps each feature to [0, 1] with the minimum and maximum it has in the training set, as
 * scikit-learn's {@code MinMaxScaler}: fit on the training set, then apply the same scaler to the
 * training, validation and test sets (values outside the training range map outside [0, 1]). A
 * feature that is constant in the training set maps to 0.
 *
 * <p>Each feature is scaled on its own; for images, where some pixels are always 0 in training,
 * dividing every pixel by the largest possible value ({@link Scaling#divide}) is usually better.
 */
public final class MinMaxScaler {
    private final float[] min;
    private final float[] max;

    private MinMaxScaler(float[] min, float[] max) {
        this.min = min;
        this.max = max;
    }

    /** Finds the minimum and maximum of each feature. */
    public static MinMaxScaler fit(Dataset train) {
        if (train.size() == 0) {
            throw new IllegalArgumentException("cannot fit a min-max scaler on an empty dataset");
        }
        int n = train.featureSize();
        float[] x = train.features();
        float[] min = new float[n];
        float[] max = new float[n];
        Arrays.fill(min, Float.POSITIVE_INFINITY);
        Arrays.fill(max, Float.NEGATIVE_INFINITY);
        for (int i = 0; i < x.length; i++) {
            float v = x[i];
            if (!Float.isFinite(v)) {
                throw new IllegalArgumentException("feature " + i % n + " of sample " + i / n + " is " + v + "; remove or replace it before fitting");
            }
            int f = i % n;
            min[f] = Math.min(min[f], v);
            max[f] = Math.max(max[f], v);
        }
        return new MinMaxScaler(min, max);
    }

    /** A dataset with scaled features (a new array); the targets array is shared. */
    public Dataset apply(Dataset data) {
        int fitted = min.length;
        if (data.featureSize() != fitted) {
            throw new IllegalArgumentException("the scaler was fitted on " + fitted + " features but the dataset has " + data.featureSize());
        }
        float[] scaled = data.features().clone();
        applyInPlace(scaled);
        return new Dataset(scaled, data.featureShape(), data.targets(), data.targetSize());
    }

    /** Scales a whole number of samples in place, such as one sample before {@code predict}. */
    public void applyInPlace(float[] features) {
        int n = min.length;
        if (features.length % n != 0) {
            throw new IllegalArgumentException(features.length + " floats are not a whole number of samples of " + n + " features");
        }
        for (int i = 0; i < features.length; i++) {
            int f = i % n;
            float range = max[f] - min[f];
            features[i] = (features[i] - min[f]) / (range == 0 ? 1 : range);
        }
    }

    /** The minimum of each feature in the training set. */
    public float[] min() {
        return min.clone();
    }

    /** The maximum of each feature in the training set. */
    public float[] max() {
        return max.clone();
    }
}
