package dev.kiln.benchmarks;

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
 * W1 inference with the Kiln-compiled MLP, one thread.
 *
 * <ul>
 *   <li>{@link #batch1}: {@code predict(input, output)} on one image (the anchors' first test
 *       image), as PyTorch's and ONNX Runtime's batch-1 rows: median microseconds per call.
 *   <li>{@link #batch64}: {@code predict(inputs, 64, outputs)} on the anchors' 64 images:
 *       median microseconds per call; samples/s = 64 / that.
 * </ul>
 *
 * SampleTime times calls one by one, so its median is the counterpart of the Python peers' median
 * of individually timed calls. Several forks: the Vector API's JIT decisions vary between JVMs.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Threads(1)
@Fork(value = 3, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED"})
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
public class KilnW1 {
    private W1MlpModel model;
    private float[] input;
    private float[] output;
    private float[] inputs;
    private float[] outputs;

    @Setup
    public void setup() {
        model = AnchorModels.w1();
        inputs = Anchors.inputs64("w1");
        input = new float[Anchors.INPUT];
        System.arraycopy(inputs, 0, input, 0, Anchors.INPUT);
        output = new float[Anchors.CLASSES];
        outputs = new float[Anchors.SAMPLES * Anchors.CLASSES];
    }

    @Benchmark
    public float[] batch1() {
        model.predict(input, output);
        return output;
    }

    @Benchmark
    public float[] batch64() {
        model.predict(inputs, Anchors.SAMPLES, outputs);
        return outputs;
    }
}
