package dev.kiln.processor;

import static com.google.testing.compile.CompilationSubject.assertThat;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.testing.compile.Compilation;
import dev.kiln.runtime.Kernels;
import dev.kiln.runtime.Model;
import dev.kiln.runtime.io.SafeTensors;
import dev.kiln.runtime.testing.Lanes;
import dev.kiln.runtime.testing.ReferenceFile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Weights move between a generated model and PyTorch's nn.Module unchanged, both ways:
 * a state_dict saved by {@code safetensors.torch.save_file} loads into the Kiln model and gives
 * PyTorch's outputs; a file saved by the Kiln model is the committed file that
 * tools/reference/check_kiln_model.py (dense) and check_kiln_cnn.py (nn.Conv2d, nn.MaxPool2d,
 * nn.Linear) load into torch and check against Kiln's outputs.
 */
@Tag(Lanes.TAG)
class WeightFileInteropTest {
    private static final Path RESOURCES = Path.of("src/test/resources/reference");
    private static ClassLoader loader;

    @BeforeAll
    static void compile() {
        Compilation compilation = Compiler.compile(Compiler.resource("networks/dev/kiln/test/DenseSparse.java"),
                Compiler.resource("networks/dev/kiln/test/ConvValidMax.java"));
        assertThat(compilation).succeededWithoutWarnings();
        loader = Compiler.loader(compilation);
    }

    @Test
    void aPyTorchFileLoadsAndGivesPyTorchsOutputs() throws IOException {
        ReferenceFile ref = ReferenceFile.resource("/reference/dense_sparse.ref");
        Model model = Compiler.newModel(loader, "dev.kiln.test.DenseSparseModel", 99, Kernels.Kind.VECTOR);
        SafeTensors.load(model, RESOURCES.resolve("dense_sparse.safetensors"));
        float[] input = ref.get("input");
        float[] output = model.forward(input, 0, input.length / 12);
        PyTorchReferenceTest.check("output", Arrays.copyOf(output, ref.get("output").length), ref.get("output"));
    }

    /**
     * The committed file was verified by check_kiln_model.py; Kiln must keep writing exactly it, and
     * keep computing exactly the outputs recorded for each kernel kind and lane count (the
     * determinism contract in {@link Kernels}), which that script checks against torch.nn.
     * Regenerate with -Dkiln.regenerateReference=true at each of -Dkiln.vectorBits=128, 256 and 512,
     * then run the script again.
     */
    @ParameterizedTest
    @EnumSource(Kernels.Kind.class)
    void kilnWritesTheFilePyTorchWasCheckedOn(Kernels.Kind kernels, @TempDir Path dir) throws IOException {
        Model model = Compiler.newModel(loader, "dev.kiln.test.DenseSparseModel", 2026, kernels);
        float[] input = ReferenceFile.resource("/reference/dense_sparse.ref").get("input");
        checkWrittenFile(model, kernels, dir, input, "kiln_dense_sparse", "DenseSparseModel(seed 2026) on dense_sparse.ref's input; checked by check_kiln_model.py");
    }

    /** As {@link #kilnWritesTheFilePyTorchWasCheckedOn} for a CNN, checked by check_kiln_cnn.py. */
    @ParameterizedTest
    @EnumSource(Kernels.Kind.class)
    void kilnWritesTheConvolutionFilePyTorchWasCheckedOn(Kernels.Kind kernels, @TempDir Path dir) throws IOException {
        Model model = Compiler.newModel(loader, "dev.kiln.test.ConvValidMaxModel", 2026, kernels);
        float[] input = ReferenceFile.resource("/reference/conv_valid_max.ref").get("input");
        checkWrittenFile(model, kernels, dir, input, "kiln_conv_valid_max", "ConvValidMaxModel(seed 2026) on conv_valid_max.ref's input; checked by check_kiln_cnn.py");
    }

    /**
     * The weights Kiln saves are the committed file's bytes (initial weights do not depend on the
     * kernels), and the outputs are, bit for bit, those recorded for this kernel kind and lane count.
     */
    private static void checkWrittenFile(Model model, Kernels.Kind kernels, Path dir, float[] input, String name, String description) throws IOException {
        Path saved = dir.resolve("model.safetensors");
        SafeTensors.save(model, saved);
        Path committed = RESOURCES.resolve(name + ".safetensors");
        Path outputs = RESOURCES.resolve(name + "_output.ref");
        int batch = input.length / model.inputSize();
        float[] output = Arrays.copyOf(model.forward(input, 0, batch), batch * model.outputSize());
        String kind = kernels == Kernels.Kind.SCALAR ? "scalar" : "lanes" + Kernels.lanes();
        if (Boolean.getBoolean("kiln.regenerateReference")) {
            Files.copy(saved, committed, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            Map<String, float[]> recorded = new TreeMap<>();
            if (Files.exists(outputs)) {
                ReferenceFile old = ReferenceFile.read(outputs);
                for (String tensor : old.names()) {
                    recorded.put(tensor, old.get(tensor));
                }
            }
            recorded.put(kind, output);
            StringBuilder text = new StringBuilder("# outputs of " + description + ",\n"
                    + "# bit for bit, per kernel kind and lane count (scalar, lanes4, lanes8, lanes16)\n");
            recorded.forEach((tensor, values) -> {
                text.append("tensor ").append(tensor).append(' ').append(batch).append(' ').append(model.outputSize()).append('\n');
                for (float v : values) {
                    text.append(Float.toString(v)).append('\n');
                }
            });
            Files.writeString(outputs, text);
        }
        assertArrayEquals(Files.readAllBytes(committed), Files.readAllBytes(saved), "Kiln no longer writes the file PyTorch was checked on");
        ReferenceFile reference = ReferenceFile.resource("/reference/" + name + "_output.ref");
        assertTrue(reference.has(kind), "no outputs recorded for " + kind + "; record them with -Dkiln.regenerateReference=true");
        assertArrayEquals(reference.get(kind), output, "the same seed, kernel kind and lane count (" + kind + ") no longer give the same bits");
    }

    @Test
    void aPyTorchConvolutionFileLoadsAndGivesPyTorchsOutputs() throws IOException {
        ReferenceFile ref = ReferenceFile.resource("/reference/conv_valid_max.ref");
        Model model = Compiler.newModel(loader, "dev.kiln.test.ConvValidMaxModel", 99, Kernels.Kind.VECTOR);
        SafeTensors.load(model, RESOURCES.resolve("conv_valid_max.safetensors"));
        float[] input = ref.get("input");
        float[] output = model.forward(input, 0, input.length / model.inputSize());
        PyTorchReferenceTest.check("output", Arrays.copyOf(output, ref.get("output").length), ref.get("output"));
    }

}
