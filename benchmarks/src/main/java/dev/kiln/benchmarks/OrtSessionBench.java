package dev.kiln.benchmarks;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * ONNX Runtime Java on one of the anchors' exported models (PyTorch's export of the same network and
 * weights), one intra-op and one inter-op thread, sequential execution, all graph optimizations, CPU
 * provider, on the first {@code batch} of the anchors' 64 test images. Subclasses name the model.
 *
 * <ul>
 *   <li>{@link #run}: the ordinary call: {@code session.run(inputs)}, then the probabilities copied
 *       out of the result tensor into a float[] and the result closed (ORT allocates the output).
 *   <li>{@link #runPinned}: {@code session.run(inputs, pinnedOutputs)} into an output tensor
 *       preallocated once over a direct buffer; nothing is copied (the counterpart of the Python
 *       IOBinding row).
 * </ul>
 *
 * In both the input tensor is created once over a direct buffer that already holds the images,
 * so neither pays for converting Java arrays. Setup checks both against PyTorch's probabilities
 * when the anchors' reference is present, and fails if the model file is absent.
 */
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Threads(1)
@Fork(value = 3, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED"})
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
public abstract class OrtSessionBench {
    /** The anchors' name of the workload, {@code w1} or {@code w3}: the prefix of its files. */
    abstract String workload();

    /** The model file in the anchors' directory, e.g. {@code w1_mlp.onnx}. */
    abstract String modelFile();

    /** One sample's input shape after the batch dimension, as the ONNX model declares it. */
    abstract long[] sampleShape();

    /** The batch size; subclasses declare it as a JMH {@code @Param}. */
    abstract int batch();

    private OrtEnvironment env;
    private OrtSession session;
    private OnnxTensor input;
    private OnnxTensor pinnedOutput;
    private FloatBuffer pinnedBuffer;
    private Map<String, OnnxTensor> inputs;
    private Map<String, OnnxTensor> pinnedOutputs;
    private float[] output;

    @Setup
    public void setup() throws OrtException {
        Path model = Anchors.file(modelFile());
        int batch = batch();
        if (!Files.isRegularFile(model)) {
            throw new IllegalStateException("ONNX Runtime benchmarks need " + model + " (set ANCHOR_MODELS or run "
                    + "shared/anchors/setup.sh, which exports it)");
        }
        env = OrtEnvironment.getEnvironment();
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            options.setIntraOpNumThreads(1);
            options.setInterOpNumThreads(1);
            options.setExecutionMode(OrtSession.SessionOptions.ExecutionMode.SEQUENTIAL);
            options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
            session = env.createSession(model.toString(), options);
        }
        float[] images = Anchors.inputs64(workload());
        long[] shape = new long[1 + sampleShape().length];
        shape[0] = batch;
        System.arraycopy(sampleShape(), 0, shape, 1, sampleShape().length);
        FloatBuffer inputBuffer = direct(batch * Anchors.INPUT);
        inputBuffer.put(0, images, 0, batch * Anchors.INPUT);
        input = OnnxTensor.createTensor(env, inputBuffer, shape);
        pinnedBuffer = direct(batch * Anchors.CLASSES);
        pinnedOutput = OnnxTensor.createTensor(env, pinnedBuffer, new long[] {batch, Anchors.CLASSES});
        inputs = Map.of("input", input);
        pinnedOutputs = Map.of("probs", pinnedOutput);
        output = new float[batch * Anchors.CLASSES];
        check();
    }

    /** Both variants agree with PyTorch's probabilities, when the anchors' reference is present. */
    private void check() throws OrtException {
        run();
        runPinned();
        String probabilities = workload() + "_probs64.bin";
        if (!Files.isRegularFile(Anchors.file(probabilities))) {
            return;
        }
        float[] expected = Anchors.readFloats(probabilities, Anchors.SAMPLES * Anchors.CLASSES);
        float[] pinned = new float[output.length];
        pinnedBuffer.get(0, pinned);
        float diff = Math.max(Anchors.maxAbsDiff(output, 0, expected, 0, output.length),
                Anchors.maxAbsDiff(pinned, 0, expected, 0, pinned.length));
        String summary = String.format("ORT Java %s batch %d: max |ORT - PyTorch| = %.3g", workload(), batch(), diff);
        if (!(diff <= Anchors.TOLERANCE)) {
            throw new IllegalStateException(summary + ", more than " + Anchors.TOLERANCE);
        }
        Anchors.log(summary);
    }

    private static FloatBuffer direct(int floats) {
        return ByteBuffer.allocateDirect(floats * Float.BYTES).order(ByteOrder.nativeOrder()).asFloatBuffer();
    }

    @Benchmark
    public float[] run() throws OrtException {
        try (OrtSession.Result result = session.run(inputs)) {
            ((OnnxTensor) result.get(0)).getFloatBuffer().get(output);
        }
        return output;
    }

    @Benchmark
    public FloatBuffer runPinned() throws OrtException {
        try (OrtSession.Result result = session.run(inputs, pinnedOutputs)) {
            return pinnedBuffer;
        }
    }

    @TearDown
    public void tearDown() throws OrtException {
        if (session != null) {
            session.close();
        }
        if (input != null) {
            input.close();
        }
        if (pinnedOutput != null) {
            pinnedOutput.close();
        }
    }
}
