package dev.kiln.processor;

import static com.google.testing.compile.CompilationSubject.assertThat;
import static dev.kiln.runtime.testing.ReferenceFile.maxRelativeDifference;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.testing.compile.Compilation;
import dev.kiln.runtime.Kernels;
import dev.kiln.runtime.Model;
import dev.kiln.runtime.ParameterTensor;
import dev.kiln.runtime.testing.Lanes;
import dev.kiln.runtime.testing.ReferenceFile;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Forward outputs, loss, every parameter gradient and the input gradient match tensors recorded
 * from PyTorch 2.13: of 3-layer dense networks (tools/reference/record_dense.py) and of
 * convolutional networks (tools/reference/record_conv.py) covering VALID and SAME padding, strides
 * 1 and 2, 1, 3 and 8 input channels, and max and average pooling of odd sizes, with and without
 * padding and overlap.
 */
@Tag(Lanes.TAG)
class PyTorchReferenceTest {
    /** The largest relative difference allowed. */
    static final double TOLERANCE = 1e-5;
    /**
     * Values smaller than this are compared absolutely: float32 rounding of a sum of terms of size
     * ~1 leaves differences ~1e-7 that are large relative to a value that is zero up to rounding.
     */
    static final double FLOOR = 1e-2;

    private static ClassLoader loader;

    @BeforeAll
    static void compile() {
        Compilation compilation = Compiler.compile(
                Compiler.resource("networks/dev/kiln/test/DenseSparse.java"),
                Compiler.resource("networks/dev/kiln/test/DenseBce.java"),
                Compiler.resource("networks/dev/kiln/test/DenseMse.java"),
                Compiler.resource("networks/dev/kiln/test/DenseCce.java"),
                Compiler.resource("networks/dev/kiln/test/ConvValidMax.java"),
                Compiler.resource("networks/dev/kiln/test/ConvSameAvg.java"),
                Compiler.resource("networks/dev/kiln/test/ConvStrideSame.java"),
                Compiler.resource("networks/dev/kiln/test/PoolFirst.java"));
        assertThat(compilation).succeededWithoutWarnings();
        loader = Compiler.loader(compilation);
    }

    static Stream<Arguments> cases() {
        return Stream.of("DenseSparse:dense_sparse", "DenseBce:dense_bce", "DenseMse:dense_mse", "DenseCce:dense_cce",
                        "ConvValidMax:conv_valid_max", "ConvSameAvg:conv_same_avg", "ConvStrideSame:conv_stride_same", "PoolFirst:pool_first")
                .flatMap(c -> Stream.of(Kernels.Kind.values()).map(k -> Arguments.of(c.split(":")[0], c.split(":")[1], k)));
    }

    @ParameterizedTest(name = "{0} {2}")
    @MethodSource("cases")
    void matchesPyTorch(String network, String reference, Kernels.Kind kernels) {
        worst = 0;
        ReferenceFile ref = ReferenceFile.resource("/reference/" + reference + ".ref");
        Model model = Compiler.newModel(loader, "dev.kiln.test." + network + "Model", 1, kernels);
        for (ParameterTensor tensor : model.parameters().tensors()) {
            model.parameters().set(tensor.name(), ref.get(tensor.name()));
        }
        float[] input = ref.get("input");
        int batch = input.length / model.inputSize();

        float[] output = model.forward(input, 0, batch);
        check("output", slice(output, batch * model.outputSize()), ref.get("output"));
        float loss = model.loss(ref.get("target"), 0);
        check("loss", new float[] {loss}, ref.get("loss"));
        model.zeroGrad();
        float[] inputGradient = model.backward();
        for (ParameterTensor tensor : model.parameters().tensors()) {
            check("grad." + tensor.name(), model.parameters().gradient(tensor.name()), ref.get("grad." + tensor.name()));
        }
        check("grad.input", slice(inputGradient, input.length), ref.get("grad.input"));

        float[] one = new float[model.outputSize()];
        float[] sample = new float[model.inputSize()];
        System.arraycopy(input, input.length - sample.length, sample, 0, sample.length);
        model.predict(sample, one);
        float[] expected = ref.get("output");
        check("predict(last sample)", one, slice(expected, expected.length - one.length, expected.length));
        System.out.printf(java.util.Locale.ROOT, "%s %s: max relative difference %.2e%n", network, kernels, worst);
    }

    /** The largest difference seen by {@link #check} in the running case, for the log. */
    private static double worst;

    static void check(String what, float[] actual, float[] expected) {
        double diff = maxRelativeDifference(actual, expected, FLOOR);
        worst = Math.max(worst, diff);
        assertTrue(diff <= TOLERANCE, what + ": max relative difference " + diff + " > " + TOLERANCE);
    }

    static float[] slice(float[] values, int length) {
        return slice(values, 0, length);
    }

    static float[] slice(float[] values, int from, int to) {
        return java.util.Arrays.copyOfRange(values, from, to);
    }
}
