package dev.kiln.runtime.metrics;

/**
 * Turns model outputs into predicted classes: the argmax of each row for a multi-class output, a
 * threshold for a single binary output.
 */
public final class Predictions {
    private Predictions() {
    }

    /**
     * The index of the largest of {@code values[offset, offset + width)}, counted from
     * {@code offset}; the first one on ties, as {@code torch.argmax}. NaN values never win.
     */
    public static int argmax(float[] values, int offset, int width) {
        if (width <= 0) {
            throw new IllegalArgumentException("argmax over " + width + " values");
        }
        int best = 0;
        float max = values[offset];
        for (int j = 1; j < width; j++) {
            float v = values[offset + j];
            if (v > max || (max != max && v == v)) {
                max = v;
                best = j;
            }
        }
        return best;
    }

    /**
     * The predicted class of each sample of {@code outputs}, which holds rows of
     * {@code outputSize}: the argmax of the row, or for a single output 1 when it is above
     * {@code threshold} (0.5 for a sigmoid probability, 0 for a logit) and else 0.
     */
    public static int[] classes(float[] outputs, int outputSize, float threshold) {
        if (outputSize <= 0 || outputs.length % outputSize != 0) {
            throw new IllegalArgumentException(outputs.length + " outputs are not a whole number of rows of " + outputSize);
        }
        int[] classes = new int[outputs.length / outputSize];
        for (int r = 0; r < classes.length; r++) {
            classes[r] = outputSize == 1 ? (outputs[r] > threshold ? 1 : 0) : argmax(outputs, r * outputSize, outputSize);
        }
        return classes;
    }

    /**
     * The class indices held as floats in a dataset's targets (one per sample), checked to be whole
     * numbers in {@code [0, classes)}.
     */
    public static int[] targetClasses(float[] targets, int classes) {
        int[] result = new int[targets.length];
        for (int i = 0; i < targets.length; i++) {
            result[i] = targetClass(targets, i, classes);
        }
        return result;
    }

    /** The class index held as a float in {@code targets[i]}, checked as {@link #targetClasses} does. */
    public static int targetClass(float[] targets, int i, int classes) {
        float t = targets[i];
        if (!(t >= 0 && t < classes && t == Math.rint(t))) {
            throw new IllegalArgumentException("target " + i + " is " + t + ", not a class index in [0, " + classes + ")");
        }
        return (int) t;
    }
}
