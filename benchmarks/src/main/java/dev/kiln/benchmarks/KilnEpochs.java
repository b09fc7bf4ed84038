package dev.kiln.benchmarks;

import dev.kiln.runtime.Model;
import dev.kiln.runtime.data.Dataset;
import dev.kiln.runtime.data.ImageLayout;
import dev.kiln.runtime.data.Mnist;
import dev.kiln.runtime.data.Scaling;
import dev.kiln.runtime.optim.Adam;
import dev.kiln.runtime.train.EpochMetrics;
import dev.kiln.runtime.train.FitOptions;
import dev.kiln.runtime.train.History;
import dev.kiln.runtime.train.Trainer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * Training as the anchors' {@code train_bench.py} measures it, for Kiln: whole epochs of the 60,000
 * Fashion-MNIST training images (pixels / 255), Adam (lr 1e-3), sparse softmax cross-entropy,
 * shuffled every epoch, through {@link Trainer#fit} (which also gathers each shuffled batch, counts
 * its accuracy and keeps the last good weights), on {@code --threads} threads (data-parallel, one
 * shard per thread). Each epoch is timed separately; samples/s = 60,000 / the epoch's training time.
 * Workloads: {@code w2} (the MLP, {@link W1Mlp}) and {@code w3} (the CNN, {@link W3Cnn}, channels last).
 *
 * <p>Warm-up before timing: epochs over the first 100 batches, for at least 5 seconds, so that the
 * JIT has compiled the kernels (C2 compiles the replicas' code paths of a multi-threaded fit later
 * than the single-threaded ones); the Python peers get 16 steps plus one of the final batch size,
 * which needs no JIT.
 *
 * <pre>java --add-modules jdk.incubator.vector -cp benchmarks.jar dev.kiln.benchmarks.KilnEpochs \
 *     /usr/share/datasets/fashion-mnist [--workload w3] [--batch 128] [--epochs 3] [--threads 1] [--out file.json]</pre>
 *
 * Prints one line and, with {@code --out}, writes the anchors' JSON shape ({@code samples_per_s}
 * median/min/max, {@code epoch_s}) and the share of the machine's CPU time the hypervisor stole
 * during the timed epochs ({@code steal_percent}, from /proc/stat).
 */
public final class KilnEpochs {
    static final int WARM_UP_BATCHES = 100;
    static final long WARM_UP_NANOS = 5_000_000_000L;

    private KilnEpochs() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length < 1 || args[0].startsWith("--")) {
            System.err.println("usage: KilnEpochs <Fashion-MNIST directory> [--workload w2|w3] [--batch N] [--epochs N]"
                    + " [--threads N] [--out file.json]");
            System.exit(2);
        }
        Path directory = Path.of(args[0]);
        String workload = "w3";
        int batch = 128;
        int epochs = 3;
        int threads = 1;
        Path out = null;
        for (int i = 1; i < args.length; i += 2) {
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException(args[i] + " needs a value");
            }
            switch (args[i]) {
                case "--workload" -> workload = args[i + 1];
                case "--batch" -> batch = Integer.parseInt(args[i + 1]);
                case "--epochs" -> epochs = Integer.parseInt(args[i + 1]);
                case "--threads" -> threads = Integer.parseInt(args[i + 1]);
                case "--out" -> out = Path.of(args[i + 1]);
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        Trainer warmUp = newTrainer(workload);
        Dataset train = trainingImages(directory, workload);
        long warmUpEnd = System.nanoTime() + WARM_UP_NANOS;
        do {
            warmUp.fit(train.slice(0, WARM_UP_BATCHES * batch), options(1, batch, threads));
        } while (System.nanoTime() < warmUpEnd);
        // The timed fit starts from fresh weights, so its final loss is the same for every run and thread count.
        Trainer trainer = newTrainer(workload);
        long[] cpuBefore = cpuTicks();
        History history = trainer.fit(train, options(epochs, batch, threads));
        long[] cpuAfter = cpuTicks();
        double steal = cpuBefore == null || cpuAfter == null || cpuAfter[1] == cpuBefore[1] ? Double.NaN
                : 100.0 * (cpuAfter[0] - cpuBefore[0]) / (cpuAfter[1] - cpuBefore[1]);

        double[] rates = history.epochs().stream().mapToDouble(EpochMetrics::samplesPerSecond).toArray();
        double[] sorted = rates.clone();
        Arrays.sort(sorted);
        double median = sorted.length % 2 == 1 ? sorted[sorted.length / 2]
                : (sorted[sorted.length / 2 - 1] + sorted[sorted.length / 2]) / 2;
        List<String> seconds = Arrays.stream(rates).mapToObj(r -> String.format(Locale.ROOT, "%.4f", train.size() / r)).toList();
        System.out.printf(Locale.ROOT, "%s kiln  bs%d thr%d: median %9.0f samples/s [%.0f-%.0f]  epoch_s %s  final loss %.4f"
                + "  steal %.1f%%%n", workload, batch, threads, median, sorted[0], sorted[sorted.length - 1], seconds, history.last().loss(), steal);
        if (out != null) {
            String json = String.format(Locale.ROOT, "{\"workload\": \"%s\", \"framework\": \"kiln\", \"batch\": %d, \"threads\": %d,"
                    + " \"epochs_timed\": %d, \"samples_per_s\": {\"median\": %.3f, \"min\": %.3f, \"max\": %.3f},"
                    + " \"epoch_s\": [%s], \"warm_up_samples_per_fit\": %d, \"final_loss\": %.6f, \"steal_percent\": %s}%n",
                    workload, batch, threads, epochs, median, sorted[0], sorted[sorted.length - 1],
                    seconds.stream().collect(Collectors.joining(", ")), WARM_UP_BATCHES * batch, history.last().loss(),
                    Double.isNaN(steal) ? "null" : String.format(Locale.ROOT, "%.2f", steal));
            Files.writeString(out, json);
        }
    }

    /**
     * The machine's CPU time stolen by the hypervisor and all CPU time so far, in clock ticks, from
     * /proc/stat's first line; null where there is no such file. Stolen time stalls a training step
     * whose threads wait for one another.
     */
    private static long[] cpuTicks() {
        try {
            String[] fields = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
            long total = 0;
            for (int i = 1; i <= 8 && i < fields.length; i++) {
                total += Long.parseLong(fields[i]);
            }
            return new long[] {fields.length > 8 ? Long.parseLong(fields[8]) : 0, total};
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /** Fashion-MNIST's 60,000 training images scaled to [0, 1], flat for w2, channels last for w3. */
    static Dataset trainingImages(Path directory, String workload) throws IOException {
        ImageLayout layout = workload.equals("w2") ? ImageLayout.FLAT : ImageLayout.CHANNELS_LAST;
        return Scaling.divide(Mnist.train(directory, layout), 255f);
    }

    /** A trainer of a new model of the workload (seed 0) with the anchors' optimizer, Adam with learning rate 1e-3. */
    static Trainer newTrainer(String workload) {
        return new Trainer(newModel(workload), new Adam(1e-3));
    }

    private static Model newModel(String workload) {
        return switch (workload) {
            case "w2" -> new W1MlpModel(0L);
            case "w3" -> new W3CnnModel(0L);
            default -> throw new IllegalArgumentException("unknown workload " + workload + "; expected w2 or w3");
        };
    }

    static FitOptions options(int epochs, int batch, int threads) {
        return new FitOptions().epochs(epochs).batchSize(batch).seed(0).threads(threads).quiet();
    }
}
