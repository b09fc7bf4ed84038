package dev.kiln.examples;

import dev.kiln.runtime.data.Dataset;
import dev.kiln.runtime.data.Mnist;
import dev.kiln.runtime.data.Scaling;
import dev.kiln.runtime.io.SafeTensors;
import dev.kiln.runtime.metrics.ConfusionMatrix;
import dev.kiln.runtime.optim.Adam;
import dev.kiln.runtime.optim.CosineAnnealing;
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
 * Trains the 784-128-10 {@link FashionMlp} on a directory of MNIST-format IDX files, such as the
 * one Debian's {@code dataset-fashion-mnist} package installs ({@code dpkg -L dataset-fashion-mnist}).
 *
 * <pre>mvn -q -pl examples -am package exec:exec -DskipTests \
 *     -Dexample=dev.kiln.examples.FashionMnistExample -Dexample.args=/usr/share/dataset-fashion-mnist</pre>
 */
public final class FashionMnistExample {
    private FashionMnistExample() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length < 1 || args[0].isBlank()) {
            System.err.println("usage: FashionMnistExample <directory with train-images-idx3-ubyte[.gz] ... t10k-labels-idx1-ubyte[.gz]> [epochs]");
            System.exit(2);
        }
        int epochs = args.length > 1 ? Integer.parseInt(args[1]) : 10;
        run(Path.of(args[0]), epochs, Path.of("target/fashion").toAbsolutePath(), System.out);
    }

    static Evaluation run(Path directory, int epochs, Path out, PrintStream console) throws IOException {
        Dataset train = Scaling.divide(Mnist.train(directory), 255f);
        Dataset test = Scaling.divide(Mnist.test(directory), 255f);
        console.printf(Locale.ROOT, "%s: %,d training and %,d test images%n", directory, train.size(), test.size());
        FashionMlpModel model = new FashionMlpModel(0);
        Trainer trainer = new Trainer(model, new Adam(1e-3));
        History history = trainer.fit(train, new FitOptions().epochs(epochs).batchSize(64).validationData(test).seed(0)
                .schedule(new CosineAnnealing(epochs, 0)).progress(console));
        Evaluation evaluation = trainer.evaluate(test);
        ConfusionMatrix confusion = ConfusionMatrix.fromOutputs(trainer.predict(test), model.outputSize(), test.targets());
        console.printf(Locale.ROOT, "test: loss %.4f, accuracy %.2f%%, macro F1 %.4f%n", evaluation.loss(), 100 * evaluation.accuracy(), confusion.macroF1());
        Files.createDirectories(out);
        SafeTensors.save(model, out.resolve("fashion-mlp.safetensors"));
        TrainingChart.write(history, "FashionMlp on " + directory.getFileName(), out.resolve("fashion-training.svg"));
        console.printf("weights and chart in %s%n", out);
        return evaluation;
    }
}
