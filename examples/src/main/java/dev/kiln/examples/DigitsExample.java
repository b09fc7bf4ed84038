package dev.kiln.examples;

import dev.kiln.runtime.data.Dataset;
import dev.kiln.runtime.data.Digits;
import dev.kiln.runtime.data.ImageLayout;
import dev.kiln.runtime.data.Scaling;
import dev.kiln.runtime.data.Split;
import dev.kiln.runtime.io.SafeTensors;
import dev.kiln.runtime.metrics.ConfusionMatrix;
import dev.kiln.runtime.metrics.Predictions;
import dev.kiln.runtime.optim.Adam;
import dev.kiln.runtime.train.Evaluation;
import dev.kiln.runtime.train.FitOptions;
import dev.kiln.runtime.train.History;
import dev.kiln.runtime.train.Trainer;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Trains {@link DigitsMlp} on the UCI handwritten digits shipped with the examples, tests it,
 * saves the weights, reloads them into a fresh model and shows a few predictions.
 *
 * <pre>java --add-modules jdk.incubator.vector ... dev.kiln.examples.DigitsExample [output directory]</pre>
 */
public final class DigitsExample {
    /** What one run produced. */
    record Result(History history, Evaluation test, ConfusionMatrix confusion, Path weights, Path chart, int shownCorrect) {
    }

    private DigitsExample() {
    }

    public static void main(String[] args) throws IOException {
        Path out = Path.of(args.length > 0 ? args[0] : "target/digits").toAbsolutePath();
        run(out, 40, System.out);
    }

    static Result run(Path out, int epochs, PrintStream console) throws IOException {
        Files.createDirectories(out);
        Dataset all = Scaling.divide(loadDigits(), Digits.MAX_PIXEL);
        Split split = Split.of(all, 0.2, 7);
        Dataset train = split.train();
        Dataset test = split.validation();
        console.printf(Locale.ROOT, "UCI digits: %d training and %d test images of 8x8 pixels%n", train.size(), test.size());

        DigitsMlpModel model = new DigitsMlpModel(42);
        console.printf(Locale.ROOT, "%s: %,d parameters, layers %s, %s%n%n", model.name(), model.parameters().size(),
                model.hidden, model.digit);
        Trainer trainer = new Trainer(model, new Adam(3e-3));
        History history = trainer.fit(train, new FitOptions().epochs(epochs).batchSize(32).validationSplit(0.1).seed(1).progress(console));

        Evaluation evaluation = trainer.evaluate(test);
        ConfusionMatrix confusion = ConfusionMatrix.fromOutputs(trainer.predict(test), model.outputSize(), test.targets());
        console.printf(Locale.ROOT, "%ntest: loss %.4f, accuracy %.2f%%, macro F1 %.4f%n", evaluation.loss(), 100 * evaluation.accuracy(),
                confusion.macroF1());

        Path weights = out.resolve("digits.safetensors");
        SafeTensors.save(model, weights);
        DigitsMlpModel reloaded = new DigitsMlpModel();
        SafeTensors.load(reloaded, weights);
        console.printf("saved the weights to %s and loaded them into a new model%n%n", weights);

        int shown = 8;
        int correct = 0;
        float[] image = new float[reloaded.inputSize()];
        float[] probabilities = new float[reloaded.outputSize()];
        StringBuilder pictures = new StringBuilder();
        for (int i = 0; i < shown; i++) {
            System.arraycopy(test.features(), i * image.length, image, 0, image.length);
            reloaded.predict(image, probabilities);
            int predicted = Predictions.argmax(probabilities, 0, probabilities.length);
            int label = (int) test.targets()[i];
            correct += predicted == label ? 1 : 0;
            console.printf(Locale.ROOT, "test image %d: predicted %d (p=%.3f), true label %d %s%n", i, predicted, probabilities[predicted], label,
                    predicted == label ? "" : "  <- wrong");
            if (i < 3) {
                pictures.append(asciiArt(image, predicted));
            }
        }
        console.print(pictures);
        Path chart = out.resolve("digits-training.svg");
        TrainingChart.write(history, "DigitsMlp on UCI digits", chart);
        console.printf("loss and accuracy per epoch: %s%n", chart);
        return new Result(history, evaluation, confusion, weights, chart, correct);
    }

    static Dataset loadDigits() throws IOException {
        try (InputStream in = DigitsExample.class.getResourceAsStream("/digits.csv.gz")) {
            if (in == null) {
                throw new IOException("digits.csv.gz is missing from the examples' resources");
            }
            return Digits.load(in, "digits.csv.gz", ImageLayout.FLAT);
        }
    }

    /** The 8x8 image in characters from light to dark, with the prediction beside it. */
    static String asciiArt(float[] image, int predicted) {
        String shades = " .:-=+*#%@";
        StringBuilder art = new StringBuilder();
        for (int row = 0; row < Digits.SIDE; row++) {
            art.append("    ");
            for (int col = 0; col < Digits.SIDE; col++) {
                float v = Math.min(1f, Math.max(0f, image[row * Digits.SIDE + col]));
                char c = shades.charAt(Math.round(v * (shades.length() - 1)));
                art.append(c).append(c);
            }
            art.append(row == Digits.SIDE / 2 ? "   -> " + predicted : "").append('\n');
        }
        return art.append('\n').toString();
    }
}
