package dev.kiln.processor;

import static com.google.testing.compile.CompilationSubject.assertThat;
import static dev.kiln.runtime.testing.ReferenceFile.maxNormwiseDifference;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.testing.compile.Compilation;
import dev.kiln.runtime.Kernels;
import dev.kiln.runtime.Model;
import dev.kiln.runtime.SeededRandom;
import dev.kiln.runtime.testing.Lanes;
import java.util.Arrays;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The vector kernels agree with their scalar twins: outputs, loss, parameter and input gradients,
 * for batch sizes that exercise the full register tiles and every remainder (32 rows or more take
 * the dense layers' panel path), and sizes with and without scalar tails: dense layers, and
 * convolution and pooling layers (CnnTails leaves every tail of the convolution kernels). Runs
 * with -Djdk.incubator.vector.VECTOR_ACCESS_OOB_CHECK=2.
 */
@Tag(Lanes.TAG)
class VectorScalarTest {
    /**
     * The largest normwise difference (max |vector - scalar| / max |scalar| per tensor): the kernels
     * sum in different orders, so single elements near zero differ relatively more.
     */
    static final double TOLERANCE = 1e-5;

    private static ClassLoader loader;

    @BeforeAll
    static void compile() {
        Compilation compilation = Compiler.compile(
                Compiler.resource("networks/dev/kiln/test/Mlp.java"),
                Compiler.resource("networks/dev/kiln/test/DenseSparse.java"),
                Compiler.resource("networks/dev/kiln/test/DenseBce.java"),
                Compiler.resource("networks/dev/kiln/test/DenseMse.java"),
                Compiler.resource("networks/dev/kiln/test/DenseCce.java"),
                Compiler.resource("networks/dev/kiln/test/DenseWide.java"),
                Compiler.resource("networks/dev/kiln/test/DensePanels.java"),
                Compiler.resource("networks/dev/kiln/test/Cnn.java"),
                Compiler.resource("networks/dev/kiln/test/CnnTails.java"),
                Compiler.resource("networks/dev/kiln/test/ConvSameAvg.java"),
                Compiler.resource("networks/dev/kiln/test/PoolFirst.java"));
        assertThat(compilation).succeededWithoutWarnings();
        loader = Compiler.loader(compilation);
    }

    @ParameterizedTest(name = "{0} batch {1}")
    @CsvSource({"Mlp,1", "Mlp,4", "Mlp,7", "Mlp,64", "DenseSparse,1", "DenseSparse,9", "DenseBce,5", "DenseMse,3", "DenseCce,6",
        "DenseWide,1", "DenseWide,7", "DensePanels,7", "DensePanels,64", "Mlp,37", "Cnn,1", "Cnn,5", "Cnn,35", "CnnTails,1", "CnnTails,3", "CnnTails,8", "ConvSameAvg,2", "PoolFirst,3"})
    void vectorMatchesScalar(String network, int batch) {
        Model vector = Compiler.newModel(loader, "dev.kiln.test." + network + "Model", 42, Kernels.Kind.VECTOR);
        Model scalar = Compiler.newModel(loader, "dev.kiln.test." + network + "Model", 42, Kernels.Kind.SCALAR);
        assertArrayEquals(scalar.parameters().values(), vector.parameters().values(), "the same seed gives the same weights");

        SeededRandom random = new SeededRandom(9);
        float[] x = GradientCheckTest.values(random, batch * vector.inputSize(), 1f);
        float[] targets = targets(vector, batch, random);

        float[] yVector = vector.forward(x, 0, batch).clone();
        float[] yScalar = scalar.forward(x, 0, batch).clone();
        check("output", yVector, yScalar, batch * vector.outputSize());
        check("loss", new float[] {vector.loss(targets, 0)}, new float[] {scalar.loss(targets, 0)}, 1);
        vector.zeroGrad();
        scalar.zeroGrad();
        check("input gradient", vector.backward(), scalar.backward(), batch * vector.inputSize());
        check("parameter gradients", vector.parameters().gradients(), scalar.parameters().gradients(), vector.parameters().size());

        float[] one = Arrays.copyOf(x, vector.inputSize());
        check("predict", vector.predict(one), scalar.predict(one), vector.outputSize());
        check("predict vs forward", vector.predict(one), yScalar, vector.outputSize());
    }

    /**
     * The single-row forward of a dense layer reads only the weight rows of inputs that are not
     * zero. With inputs two thirds zeros (runs of zeros, as in image backgrounds, and scattered
     * ones, as after a ReLU) predict gives the bits of the batch forward, whose tiles read every
     * row, and agrees with the scalar twin; all-zero and all-nonzero inputs take the other branches.
     * DenseWide's first layer, whose W^T is beyond L2, streams 8 rows per pass instead of 4.
     */
    @ParameterizedTest(name = "{0}")
    @CsvSource({"Mlp", "DenseCce", "DenseWide", "Cnn"})
    void zeroInputsSkippedByPredictGiveTheBatchForwardsBits(String network) {
        Model vector = Compiler.newModel(loader, "dev.kiln.test." + network + "Model", 42, Kernels.Kind.VECTOR);
        Model scalar = Compiler.newModel(loader, "dev.kiln.test." + network + "Model", 42, Kernels.Kind.SCALAR);
        int batch = 8;
        int n = vector.inputSize();
        SeededRandom random = new SeededRandom(11);
        float[] x = GradientCheckTest.values(random, batch * n, 1f);
        for (int i = 0; i < x.length; i++) {
            boolean run = (i % n) / 16 % 3 != 0;
            if (i / n == 1 ? random.nextFloat() < 2f / 3 : run) {
                x[i] = 0f;
            }
        }
        Arrays.fill(x, 2 * n, 3 * n, 0f); // an all-zero row
        for (int i = 3 * n; i < 4 * n; i++) {
            x[i] = x[i] == 0f ? 0.5f : x[i]; // a row without zeros
        }
        float[] batchOutputs = vector.forward(x, 0, batch).clone();
        int outputs = vector.outputSize();
        for (int r = 0; r < batch; r++) {
            float[] row = Arrays.copyOfRange(x, r * n, (r + 1) * n);
            float[] expected = Arrays.copyOfRange(batchOutputs, r * outputs, (r + 1) * outputs);
            assertArrayEquals(expected, vector.predict(row), "row " + r + ": predict and the batch forward");
            check("row " + r + " vector vs scalar", vector.predict(row), scalar.predict(row), outputs);
        }
    }

    static float[] targets(Model model, int batch, SeededRandom random) {
        float[] t = new float[batch * model.targetSize()];
        for (int i = 0; i < t.length; i++) {
            t[i] = model.targetSize() == 1 ? random.nextInt(model.outputSize()) : random.nextFloat();
        }
        return t;
    }

    static void check(String what, float[] actual, float[] expected, int length) {
        double diff = maxNormwiseDifference(Arrays.copyOf(actual, length), Arrays.copyOf(expected, length));
        assertTrue(diff <= TOLERANCE, what + ": vector and scalar kernels differ by " + diff + " > " + TOLERANCE);
    }
}
