package dev.kiln.examples;

import dev.kiln.runtime.data.Dataset;
import dev.kiln.runtime.data.ImageLayout;
import dev.kiln.runtime.data.Mnist;
import dev.kiln.runtime.data.Scaling;
import dev.kiln.runtime.io.SafeTensors;
import dev.kiln.runtime.metrics.ConfusionMatrix;
import dev.kiln.runtime.optim.Adam;
import dev.kiln.runtime.optim.CosineAnnealing;
import dev.kiln.runtime.train.EpochMetrics;
import dev.kiln.runtime.train.Evaluation;
import dev.kiln.runtime.train.FitOptions;
import dev.kiln.runtime.train.History;
import dev.kiln.runtime.train.Trainer;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Trains Keras' MNIST CNN ({@link FashionCnn}) on a directory of MNIST-format IDX files, such as
 * the one Debian's {@code dataset-fashion-mnist} package installs, with the images channels last
 * {@code (28, 28, 1)}.
 *
 * <pre>mvn -q -pl examples -am package exec:exec -DskipTests \
 *     -Dexample=dev.kiln.examples.FashionCnnExample -Dexample.args=/usr/share/datasets/fashion-mnist</pre>
 */
public final class FashionCnnExample {
    private FashionCnnExample() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length < 1 || args[0].isBlank()) {
            System.err.println("usage: FashionCnnExample <directory with train-images-idx3-ubyte[.gz] ... t10k-labels-idx1-ubyte[.gz]> [epochs]");
            System.exit(2);
        }
        int epochs = args.length > 1 ? Integer.parseInt(args[1]) : 12;
        run(Path.of(args[0]), epochs, Path.of("target/fashion-cnn").toAbsolutePath(), System.out);
    }

    static Evaluation run(Path directory, int epochs, Path out, PrintStream console) throws IOException {
        Dataset train = Scaling.divide(Mnist.train(directory, ImageLayout.CHANNELS_LAST), 255f);
        Dataset test = Scaling.divide(Mnist.test(directory, ImageLayout.CHANNELS_LAST), 255f);
        console.printf(Locale.ROOT, "%s: %,d training and %,d test images of 28x28x1%n", directory, train.size(), test.size());
        FashionCnnModel model = new FashionCnnModel(0);
        console.printf(Locale.ROOT, "%s: %,d parameters%n", model.name(), model.parameters().size());
        Trainer trainer = new Trainer(model, new Adam(1e-3));
        long start = System.nanoTime();
        History history = trainer.fit(train, new FitOptions().epochs(epochs).batchSize(128).validationData(test).seed(0)
                .schedule(new CosineAnnealing(epochs, 0)).progress(console));
        double seconds = (System.nanoTime() - start) / 1e9;
        double trainingRate = history.epochs().stream().mapToDouble(EpochMetrics::samplesPerSecond).average().orElse(Double.NaN);
        Evaluation evaluation = trainer.evaluate(test);
        ConfusionMatrix confusion = ConfusionMatrix.fromOutputs(trainer.predict(test), model.outputSize(), test.targets());
        console.printf(Locale.ROOT, "%d epochs in %.1f s (with the test set evaluated after each), training at %.0f samples/s on average%n",
                epochs, seconds, trainingRate);
        console.printf(Locale.ROOT, "test: loss %.4f, accuracy %.2f%%, macro F1 %.4f%n", evaluation.loss(), 100 * evaluation.accuracy(), confusion.macroF1());
        Files.createDirectories(out);
        SafeTensors.save(model, out.resolve("fashion-cnn.safetensors"));
        TrainingChart.write(history, "FashionCnn on " + directory.getFileName(), out.resolve("fashion-cnn-training.svg"));
        console.printf("weights and chart in %s%n", out);
        return evaluation;
    }
}
