package dev.kiln.benchmarks;

import dev.kiln.runtime.optim.Adam;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * W3, the Keras MNIST CNN ({@link W3Cnn}), one thread:
 *
 * <ul>
 *   <li>{@link #batch1}: {@code predict(input, output)} on one 28x28x1 image: median microseconds
 *       per call (the anchors' batch-1 latency rows).
 *   <li>{@link #train128}: one training step at batch 128 with Adam (lr 1e-3): {@code zeroGrad},
 *       {@code forward}, {@code loss}, {@code backwardParameters}, {@code Adam.step}; samples/s =
 *       128 / the median step time. The peers' numbers (train_bench.py) are epochs of 60,000
 *       Fashion-MNIST images, shuffled; here fixed random images shaped like them, taken in order.
 * </ul>
 *
 * <pre>java -jar benchmarks/target/benchmarks.jar 'KilnW3'</pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Threads(1)
@Fork(value = 3, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
public class KilnW3 {
    /** The number of random images (39 MB), more than the caches hold, as an epoch is. */
    static final int SAMPLES = 12800;
    static final int BATCH = 128;
    static final int PIXELS = 28 * 28;

    private W3CnnModel model;
    private Adam adam;
    private float[] images;
    private float[] labels;
    private float[] input;
    private float[] output;
    private int next;

    @Setup
    public void setup() {
        model = AnchorModels.w3();
        adam = new Adam(1e-3);
        images = Anchors.uniform(SAMPLES * PIXELS, 4);
        labels = new float[SAMPLES];
        SplittableRandom random = new SplittableRandom(5);
        for (int i = 0; i < SAMPLES; i++) {
            labels[i] = random.nextInt(10);
        }
        input = new float[PIXELS];
        System.arraycopy(images, 0, input, 0, PIXELS);
        output = new float[10];
        next = 0;
    }

    @Benchmark
    public float[] batch1() {
        model.predict(input, output);
        return output;
    }

    @Benchmark
    public float train128() {
        int start = next;
        next = start + BATCH == SAMPLES ? 0 : start + BATCH;
        model.zeroGrad();
        model.forward(images, start * PIXELS, BATCH);
        float loss = model.loss(labels, start);
        model.backwardParameters();
        adam.step(model.parameters());
        return loss;
    }
}
