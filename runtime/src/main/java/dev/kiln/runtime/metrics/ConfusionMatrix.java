package dev.kiln.runtime.metrics;

import java.util.Locale;
import java.util.function.IntToDoubleFunction;

/**
 * Counts of (actual class, predicted class) pairs, and the classification metrics derived from
 * them: accuracy, and per-class and macro-averaged precision, recall and F1, as scikit-learn
 * computes them with {@code zero_division=0}.
 *
 * <pre>{@code
 * ConfusionMatrix cm = ConfusionMatrix.fromOutputs(trainer.predict(test), 10, test.targets());
 * System.out.println(cm.accuracy() + " " + cm.macroF1());
 * }</pre>
 */
public final class ConfusionMatrix {
    private final int classes;
    private final long[] counts; // (classes, classes): row = actual class, column = predicted class

    public ConfusionMatrix(int classes) {
        if (classes < 2) {
            throw new IllegalArgumentException("a confusion matrix needs at least 2 classes but was given " + classes);
        }
        this.classes = classes;
        this.counts = new long[Math.multiplyExact(classes, classes)];
    }

    /** The matrix of paired actual and predicted classes. */
    public static ConfusionMatrix of(int[] actual, int[] predicted, int classes) {
        if (actual.length != predicted.length) {
            throw new IllegalArgumentException(actual.length + " actual classes but " + predicted.length + " predictions");
        }
        ConfusionMatrix matrix = new ConfusionMatrix(classes);
        for (int i = 0; i < actual.length; i++) {
            matrix.add(actual[i], predicted[i]);
        }
        return matrix;
    }

    /**
     * The matrix of a multi-class model's outputs, rows of {@code outputSize} scores (logits or
     * probabilities; the argmax is the prediction), against class indices.
     */
    public static ConfusionMatrix fromOutputs(float[] outputs, int outputSize, float[] targets) {
        if (outputSize < 2) {
            throw new IllegalArgumentException("a single output is binary; use fromBinaryOutputs with a threshold");
        }
        return of(Predictions.targetClasses(targets, outputSize), Predictions.classes(outputs, outputSize, 0f), outputSize);
    }

    /**
     * The 2-class matrix of a single-output binary model against targets 0 and 1: an output above
     * {@code threshold} (0.5 for a sigmoid probability, 0 for a logit) predicts class 1.
     */
    public static ConfusionMatrix fromBinaryOutputs(float[] outputs, float[] targets, float threshold) {
        return of(Predictions.targetClasses(targets, 2), Predictions.classes(outputs, 1, threshold), 2);
    }

    /** Counts one sample. */
    public void add(int actual, int predicted) {
        check(actual);
        check(predicted);
        counts[actual * classes + predicted]++;
    }

    public int classes() {
        return classes;
    }

    /** The number of samples of class {@code actual} predicted as {@code predicted}. */
    public long count(int actual, int predicted) {
        check(actual);
        check(predicted);
        return counts[actual * classes + predicted];
    }

    /** The number of samples counted. */
    public long total() {
        long total = 0;
        for (long c : counts) {
            total += c;
        }
        return total;
    }

    /** The fraction of samples predicted correctly; 0 when empty. */
    public double accuracy() {
        long correct = 0;
        for (int c = 0; c < classes; c++) {
            correct += counts[c * classes + c];
        }
        long total = total();
        return total == 0 ? 0 : (double) correct / total;
    }

    /** Of the samples predicted as {@code c}, the fraction that are; 0 when none is predicted as c. */
    public double precision(int c) {
        return ratio(count(c, c), predicted(c));
    }

    /** Of the samples of class {@code c}, the fraction predicted as c; 0 when there are none. */
    public double recall(int c) {
        return ratio(count(c, c), actual(c));
    }

    /** The harmonic mean of precision and recall, {@code 2 tp / (2 tp + fp + fn)}; 0 when undefined. */
    public double f1(int c) {
        long tp = count(c, c);
        return ratio(2 * tp, predicted(c) + actual(c));
    }

    /** The mean of {@link #precision} over the classes that occur among actual or predicted classes. */
    public double macroPrecision() {
        return macro(this::precision);
    }

    /** The mean of {@link #recall} over the classes that occur among actual or predicted classes. */
    public double macroRecall() {
        return macro(this::recall);
    }

    /**
     * The mean of {@link #f1} over the classes that occur among actual or predicted classes (as
     * scikit-learn's {@code f1_score(average="macro")}, whose labels default to those present).
     */
    public double macroF1() {
        return macro(this::f1);
    }

    private double macro(IntToDoubleFunction metric) {
        double sum = 0;
        int present = 0;
        for (int c = 0; c < classes; c++) {
            if (actual(c) + predicted(c) == 0) {
                continue;
            }
            present++;
            sum += metric.applyAsDouble(c);
        }
        return present == 0 ? 0 : sum / present;
    }

    private long actual(int c) {
        long n = 0;
        for (int p = 0; p < classes; p++) {
            n += counts[c * classes + p];
        }
        return n;
    }

    private long predicted(int c) {
        long n = 0;
        for (int a = 0; a < classes; a++) {
            n += counts[a * classes + c];
        }
        return n;
    }

    private static double ratio(long numerator, long denominator) {
        return denominator == 0 ? 0 : (double) numerator / denominator;
    }

    private void check(int c) {
        if (c < 0 || c >= classes) {
            throw new IndexOutOfBoundsException("class " + c + " is not in [0, " + classes + ")");
        }
    }

    /** The counts as a table, actual classes down, predicted classes across. */
    @Override
    public String toString() {
        int width = Math.max(4, Long.toString(total()).length() + 1);
        StringBuilder out = new StringBuilder(String.format(Locale.ROOT, "%-8s", "actual"));
        for (int p = 0; p < classes; p++) {
            out.append(String.format(Locale.ROOT, "%" + width + "d", p));
        }
        for (int a = 0; a < classes; a++) {
            out.append('\n').append(String.format(Locale.ROOT, "%-8d", a));
            for (int p = 0; p < classes; p++) {
                out.append(String.format(Locale.ROOT, "%" + width + "d", counts[a * classes + p]));
            }
        }
        return out.toString();
    }
}
