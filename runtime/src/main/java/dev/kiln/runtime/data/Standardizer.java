package dev.kiln.runtime.data;

/**
 * Standardizes each feature to mean 0 and standard deviation 1 with statistics of the training
 * set, as scikit-learn's {@code StandardScaler}: fit on the training set, then apply the same
 * standardizer to the training, validation and test sets, so no statistic leaks from them. The
 * standard deviation is the population one (divided by n); a feature that is constant in the
 * training set is only centred.
 */
public final class Standardizer {
    private final float[] mean;
    private final float[] std;

    private Standardizer(float[] mean, float[] std) {
        this.mean = mean;
        this.std = std;
    }

    /** Computes the mean and standard deviation of each feature (in double precision). */
    public static Standardizer fit(Dataset train) {
        int size = train.size();
        if (size == 0) {
            throw new IllegalArgumentException("cannot fit a standardizer on an empty dataset");
        }
        int n = train.featureSize();
        float[] x = train.features();
        double[] sum = new double[n];
        for (int i = 0; i < x.length; i++) {
            if (!Float.isFinite(x[i])) {
                throw new IllegalArgumentException("feature " + i % n + " of sample " + i / n + " is " + x[i]
                        + "; remove or replace it before fitting");
            }
            sum[i % n] += x[i];
        }
        double[] squares = new double[n];
        for (int i = 0; i < x.length; i++) {
            double d = x[i] - sum[i % n] / size;
            squares[i % n] += d * d;
        }
        float[] mean = new float[n];
        float[] std = new float[n];
        for (int f = 0; f < n; f++) {
            mean[f] = (float) (sum[f] / size);
            float s = (float) Math.sqrt(squares[f] / size);
            std[f] = s == 0 ? 1 : s;
        }
        return new Standardizer(mean, std);
    }

    /** A dataset with standardized features (a new array); the targets array is shared. */
    public Dataset apply(Dataset data) {
        int fitted = mean.length;
        if (data.featureSize() != fitted) {
            throw new IllegalArgumentException("the standardizer was fitted on " + fitted + " features but the dataset has " + data.featureSize());
        }
        float[] scaled = data.features().clone();
        applyInPlace(scaled);
        return new Dataset(scaled, data.featureShape(), data.targets(), data.targetSize());
    }

    /** Standardizes a whole number of samples in place, such as one sample before {@code predict}. */
    public void applyInPlace(float[] features) {
        int n = mean.length;
        if (features.length % n != 0) {
            throw new IllegalArgumentException(features.length + " floats are not a whole number of samples of " + n + " features");
        }
        for (int i = 0; i < features.length; i++) {
            int f = i % n;
            features[i] = (features[i] - mean[f]) / std[f];
        }
    }

    /** The mean of each feature in the training set. */
    public float[] mean() {
        return mean.clone();
    }

    /** The standard deviation of each feature in the training set, 1 where it was 0. */
    public float[] std() {
        return std.clone();
    }
}
