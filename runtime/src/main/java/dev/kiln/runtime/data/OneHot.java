package dev.kiln.runtime.data;

/** Turns class-index targets into one-hot rows, for losses that take one target per output. */
public final class OneHot {
    private OneHot() {
    }

    /**
     * A dataset whose targets are one-hot rows of {@code classes} floats: class 2 of 4 becomes
     * {@code (0, 0, 1, 0)}. The targets are a new array; the features array is shared.
     *
     * @throws IllegalArgumentException if the target size is not 1 or a target is not a whole
     *     number in {@code [0, classes)}
     */
    public static Dataset encode(Dataset data, int classes) {
        if (classes <= 0) {
            throw new IllegalArgumentException("classes is " + classes + "; it must be positive");
        }
        if (data.targetSize() != 1) {
            throw new IllegalArgumentException("one-hot encoding needs one class index per sample but the targets have " + data.targetSize()
                    + " values per sample; are they one-hot already?");
        }
        float[] y = data.targets();
        float[] encoded = new float[Math.multiplyExact(y.length, classes)];
        for (int i = 0; i < y.length; i++) {
            float c = y[i];
            if (!(c >= 0 && c < classes && c == Math.rint(c))) {
                throw new IllegalArgumentException("target of sample " + i + " is " + c + ", not a class index in 0.." + (classes - 1));
            }
            encoded[i * classes + (int) c] = 1;
        }
        return new Dataset(data.features(), data.featureShape(), encoded, classes);
    }
}
