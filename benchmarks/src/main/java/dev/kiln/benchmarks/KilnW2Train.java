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
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * W2: one training step of the W1 MLP with Adam (lr 1e-3), one thread, at batch 32 and 128:
 * {@code zeroGrad}, {@code forward}, {@code loss} (softmax cross-entropy on class indices),
 * {@code backwardParameters}, {@code Adam.step}. The PyTorch twin is benchmarks/py/w2_steps.py.
 *
 * <p>The data are fixed random samples shaped like Fashion-MNIST: {@value #SAMPLES} images of 784
 * pixels uniform in [0, 1) and labels uniform in 0..9 (seed 2), 51 MB, more than the caches, as an
 * epoch over the real 60,000 images is. Each step takes the next batch in order, wrapping around;
 * the batch is read in place (no copy, no shuffle), as PyTorch's slice view is.
 * samples/s = batch / the median step time.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Threads(1)
@Fork(value = 3, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED"})
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
public class KilnW2Train {
    /** The number of random samples; a multiple of both batch sizes. */
    static final int SAMPLES = 16384;

    @Param({"32", "128"})
    public int batch;

    private W1MlpModel model;
    private Adam adam;
    private float[] images;
    private float[] labels;
    private int next;

    @Setup
    public void setup() {
        if (SAMPLES % batch != 0) {
            throw new IllegalArgumentException("batch " + batch + " does not divide " + SAMPLES);
        }
        model = new W1MlpModel(0L);
        adam = new Adam(1e-3);
        images = Anchors.uniform(SAMPLES * Anchors.INPUT, 2);
        labels = new float[SAMPLES];
        SplittableRandom random = new SplittableRandom(3);
        for (int i = 0; i < SAMPLES; i++) {
            labels[i] = random.nextInt(Anchors.CLASSES);
        }
        next = 0;
    }

    @Benchmark
    public float step() {
        int start = next;
        next = start + batch == SAMPLES ? 0 : start + batch;
        model.zeroGrad();
        model.forward(images, start * Anchors.INPUT, batch);
        float loss = model.loss(labels, start);
        model.backwardParameters();
        adam.step(model.parameters());
        return loss;
    }
}
