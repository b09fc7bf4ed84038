package dev.kiln.benchmarks;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Two builds of Kiln trained side by side in one JVM, to tell whether a change made training faster.
 * Each build's benchmarks jar gets its own class loader, so both sets of classes (runtime, generated
 * model) live in the process at once and the JIT compiles each. Every round trains one epoch with
 * each build on {@code --threads} threads and on 1 thread ({@link TrainingEpoch}), in an order that
 * rotates from round to round, so that each run goes first, second... equally often; round 0 only
 * warms up. The result is the median over the rounds of each round's ratio.
 *
 * <p>Why not two processes one after the other: on the 2-core VMs here the speed of the machine
 * drifts within minutes: eight 3-epoch {@code KilnEpochs --workload w2 --threads 2} processes of the
 * same jar, one after the other, measured from 129k to 178k samples/s, enough to make a 5 % change
 * look like a gain or a loss. Inside one JVM, with rounds of a few seconds, both builds see the same
 * phases of the machine. It still has a noise floor of about 5 %, on 1 thread as on 2: the same jar
 * as A and B (W2, 12 rounds) gave B / A = 0.961 on 2 threads (B faster in 5 rounds) and 1.017 on 1
 * thread, and two builds whose 1-thread code is the same gave 0.954 on 1 thread over 24 rounds
 * (each build's classes are compiled apart, and the JIT's choices vary between compilations).
 *
 * <pre>java --add-modules jdk.incubator.vector -cp benchmarks/target/benchmarks.jar dev.kiln.benchmarks.TwoBuilds \
 *     /usr/share/datasets/fashion-mnist before.jar benchmarks/target/benchmarks.jar \
 *     [--workload w2|w3] [--threads 2] [--rounds 13] [--samples N]</pre>
 *
 * Both jars must contain {@link TrainingEpoch} (any build since it was added). {@code --samples}
 * defaults to the whole epoch for w2 (60,000 images) and 12,800 for w3.
 */
public final class TwoBuilds {

    /** One build at one thread count. */
    record Run(String build, int threads) {
        @Override
        public String toString() {
            return build + " x" + threads;
        }
    }

    private TwoBuilds() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 3 || args[0].startsWith("--")) {
            System.err.println("usage: TwoBuilds <Fashion-MNIST directory> <A: benchmarks jar> <B: benchmarks jar>"
                    + " [--workload w2|w3] [--threads N] [--rounds N] [--samples N]");
            System.exit(2);
        }
        Path fashionMnist = Path.of(args[0]);
        Path[] jars = {Path.of(args[1]), Path.of(args[2])};
        String workload = "w2";
        int threads = 2;
        int rounds = 13;
        int samples = -1;
        for (int i = 3; i < args.length; i += 2) {
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException(args[i] + " needs a value");
            }
            switch (args[i]) {
                case "--workload" -> workload = args[i + 1];
                case "--threads" -> threads = Integer.parseInt(args[i + 1]);
                case "--rounds" -> rounds = Integer.parseInt(args[i + 1]);
                case "--samples" -> samples = Integer.parseInt(args[i + 1]);
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        if (samples < 0) {
            samples = workload.equals("w3") ? 12_800 : 60_000;
        }
        if (rounds < 2) {
            throw new IllegalArgumentException("--rounds must be at least 2 (round 0 only warms up) but is " + rounds);
        }
        Method[] epoch = {trainingEpoch(jars[0]), trainingEpoch(jars[1])};
        List<Run> runs = threads == 1 ? List.of(new Run("A", 1), new Run("B", 1))
                : List.of(new Run("A", threads), new Run("B", threads), new Run("A", 1), new Run("B", 1));
        System.out.printf(Locale.ROOT, "A = %s%nB = %s%n%s, %d samples per epoch, samples/s of each epoch:%n", jars[0], jars[1],
                workload, samples);
        double[][] rates = new double[runs.size()][rounds - 1];
        for (int round = 0; round < rounds; round++) {
            StringBuilder line = new StringBuilder(round == 0 ? "warm-up:" : String.format(Locale.ROOT, "round %2d:", round));
            for (Run run : order(round, runs)) {
                double[] result = invoke(epoch[run.build().equals("A") ? 0 : 1], fashionMnist, workload, run.threads(), samples);
                line.append(String.format(Locale.ROOT, "  %s %,9.0f (loss %.6f)", run, result[0], result[1]));
                if (round > 0) {
                    rates[runs.indexOf(run)][round - 1] = result[0];
                }
            }
            System.out.println(line);
        }
        System.out.println(summary(runs, rates));
    }

    /** The runs of a round: {@code runs} rotated left by {@code round}. */
    static List<Run> order(int round, List<Run> runs) {
        List<Run> order = new ArrayList<>(runs.size());
        for (int i = 0; i < runs.size(); i++) {
            order.add(runs.get((round + i) % runs.size()));
        }
        return order;
    }

    /** Medians of B over A at each thread count, and of the speed-up of each build, over the rounds. */
    static String summary(List<Run> runs, double[][] rates) {
        StringBuilder text = new StringBuilder();
        for (int r = 0; r < runs.size(); r += 2) {
            double[] a = rates[r];
            double[] b = rates[r + 1];
            text.append(String.format(Locale.ROOT, "B / A on %d thread%s: %.3f (median of %d rounds; B faster in %d), medians %,.0f vs %,.0f samples/s%n",
                    runs.get(r).threads(), runs.get(r).threads() == 1 ? "" : "s", medianRatio(b, a), a.length, wins(b, a), median(b), median(a)));
        }
        if (runs.size() == 4) {
            text.append(String.format(Locale.ROOT, "%d threads / 1 thread: A %.3f, B %.3f (medians of the rounds' ratios)%n", runs.get(0).threads(),
                    medianRatio(rates[0], rates[2]), medianRatio(rates[1], rates[3])));
        }
        return text.toString();
    }

    /** The median of {@code a[i] / b[i]}. */
    static double medianRatio(double[] a, double[] b) {
        double[] ratios = new double[a.length];
        for (int i = 0; i < a.length; i++) {
            ratios[i] = a[i] / b[i];
        }
        return median(ratios);
    }

    /** In how many rounds {@code a[i] > b[i]}. */
    static int wins(double[] a, double[] b) {
        int wins = 0;
        for (int i = 0; i < a.length; i++) {
            if (a[i] > b[i]) {
                wins++;
            }
        }
        return wins;
    }

    static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    /** {@link TrainingEpoch#run} as loaded from {@code jar} by a class loader of its own. */
    private static Method trainingEpoch(Path jar) throws Exception {
        if (!Files.isRegularFile(jar)) {
            throw new IllegalArgumentException(jar + " is not a file: give two benchmarks jars (benchmarks/target/benchmarks.jar of two builds)");
        }
        URLClassLoader loader = new URLClassLoader(new URL[] {jar.toUri().toURL()}, ClassLoader.getPlatformClassLoader());
        Class<?> type;
        try {
            type = loader.loadClass(TrainingEpoch.class.getName());
        } catch (ClassNotFoundException e) {
            throw new IllegalArgumentException(jar + " has no " + TrainingEpoch.class.getName() + ": build that jar from a commit that has it", e);
        }
        return type.getMethod("run", Path.class, String.class, int.class, int.class);
    }

    private static double[] invoke(Method epoch, Path fashionMnist, String workload, int threads, int samples) throws Exception {
        try {
            return (double[]) epoch.invoke(null, fashionMnist, workload, threads, samples);
        } catch (InvocationTargetException e) {
            if (e.getCause() instanceof Exception cause) {
                throw cause;
            }
            throw e;
        }
    }
}
