package dev.kiln.runtime.data;

/** Scales features by a constant, such as pixels 0 to 255 into [0, 1]. */
public final class Scaling {
    private Scaling() {
    }

    /**
     * A dataset whose features are divided by {@code divisor}: {@code divide(mnist, 255)} maps
     * pixels to [0, 1]. The features are a new array; the targets array is shared.
     */
    public static Dataset divide(Dataset data, float divisor) {
        if (!(divisor != 0 && Float.isFinite(divisor))) {
            throw new IllegalArgumentException("cannot divide features by " + divisor + "; give a finite, non-zero divisor such as 255");
        }
        float[] x = data.features();
        float[] scaled = new float[x.length];
        for (int i = 0; i < x.length; i++) {
            scaled[i] = x[i] / divisor;
        }
        return new Dataset(scaled, data.featureShape(), data.targets(), data.targetSize());
    }
}
