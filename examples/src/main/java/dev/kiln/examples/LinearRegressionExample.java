package dev.kiln.examples;

import dev.kiln.runtime.SeededRandom;
import dev.kiln.runtime.data.Dataset;
import dev.kiln.runtime.optim.Sgd;
import dev.kiln.runtime.train.FitOptions;
import dev.kiln.runtime.train.Trainer;
import java.io.PrintStream;
import java.util.Locale;

/**
 * Fits {@link Line} with SGD and momentum to noisy points of {@code y = 3x + 2} and recovers the
 * slope and the intercept.
 */
public final class LinearRegressionExample {
    static final float SLOPE = 3f;
    static final float INTERCEPT = 2f;

    /** The learned line. */
    record Fit(float slope, float intercept) {
    }

    private LinearRegressionExample() {
    }

    public static void main(String[] args) {
        run(System.out);
    }

    static Fit run(PrintStream console) {
        SeededRandom random = new SeededRandom(3);
        int n = 1000;
        float[] x = new float[n];
        float[] y = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = 4 * random.nextFloat() - 2;
            y[i] = SLOPE * x[i] + INTERCEPT + 0.1f * (float) random.nextGaussian();
        }
        LineModel model = new LineModel(1);
        Trainer trainer = new Trainer(model, new Sgd(0.05).momentum(0.9));
        trainer.fit(new Dataset(x, new int[] {1}, y, 1), new FitOptions().epochs(20).batchSize(32).seed(5).progress(console));
        Fit fit = new Fit(model.parameters().get("fit.weight")[0], model.parameters().get("fit.bias")[0]);
        console.printf(Locale.ROOT, "learned y = %.4f x + %.4f (the data came from y = %.1f x + %.1f plus noise)%n",
                fit.slope(), fit.intercept(), SLOPE, INTERCEPT);
        return fit;
    }
}
