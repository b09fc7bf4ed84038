package dev.kiln.processor;

import static com.google.testing.compile.CompilationSubject.assertThat;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import com.google.testing.compile.Compilation;
import dev.kiln.runtime.Kernels;
import dev.kiln.runtime.Model;
import dev.kiln.runtime.io.SafeTensors;
import dev.kiln.runtime.testing.ReferenceFile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Weights move between a generated model and PyTorch's nn.Module unchanged, both ways:
 * a state_dict saved by {@code safetensors.torch.save_file} loads into the Kiln model and gives
 * PyTorch's outputs; a file saved by the Kiln model is the committed file that
 * tools/reference/check_kiln_model.py (dense) and check_kiln_cnn.py (nn.Conv2d, nn.MaxPool2d,
 * nn.Linear) load into torch and check against Kiln's outputs.
 */
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
     * The committed file was verified by check_kiln_model.py; Kiln must keep writing exactly it.
     * Regenerate with -Dkiln.regenerateReference=true, then run the script again.
     */
    @Test
    void kilnWritesTheFilePyTorchWasCheckedOn(@TempDir Path dir) throws IOException {
        Model model = Compiler.newModel(loader, "dev.kiln.test.DenseSparseModel", 2026, Kernels.Kind.VECTOR);
        Path saved = dir.resolve("model.safetensors");
        SafeTensors.save(model, saved);
        Path committed = RESOURCES.resolve("kiln_dense_sparse.safetensors");
        ReferenceFile ref = ReferenceFile.resource("/reference/dense_sparse.ref");
        float[] input = ref.get("input");
        float[] output = Arrays.copyOf(model.forward(input, 0, input.length / 12), input.length / 12 * 5);
        if (Boolean.getBoolean("kiln.regenerateReference")) {
            Files.copy(saved, committed, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            StringBuilder text = new StringBuilder("# outputs of DenseSparseModel(seed 2026) on dense_sparse.ref's input; checked by check_kiln_model.py\n");
            text.append("tensor output ").append(input.length / 12).append(" 5\n");
            for (float v : output) {
                text.append(Float.toString(v)).append('\n');
            }
            Files.writeString(RESOURCES.resolve("kiln_dense_sparse_output.ref"), text);
        }
        assertArrayEquals(Files.readAllBytes(committed), Files.readAllBytes(saved), "Kiln no longer writes the file PyTorch was checked on");
        assertArrayEquals(ReferenceFile.resource("/reference/kiln_dense_sparse_output.ref").get("output"), output);
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

    /** As {@link #kilnWritesTheFilePyTorchWasCheckedOn} for a CNN, checked by check_kiln_cnn.py. */
    @Test
    void kilnWritesTheConvolutionFilePyTorchWasCheckedOn(@TempDir Path dir) throws IOException {
        Model model = Compiler.newModel(loader, "dev.kiln.test.ConvValidMaxModel", 2026, Kernels.Kind.VECTOR);
        Path saved = dir.resolve("model.safetensors");
        SafeTensors.save(model, saved);
        Path committed = RESOURCES.resolve("kiln_conv_valid_max.safetensors");
        float[] input = ReferenceFile.resource("/reference/conv_valid_max.ref").get("input");
        int batch = input.length / model.inputSize();
        float[] output = Arrays.copyOf(model.forward(input, 0, batch), batch * model.outputSize());
        if (Boolean.getBoolean("kiln.regenerateReference")) {
            Files.copy(saved, committed, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            StringBuilder text = new StringBuilder("# outputs of ConvValidMaxModel(seed 2026) on conv_valid_max.ref's input; checked by check_kiln_cnn.py\n");
            text.append("tensor output ").append(batch).append(' ').append(model.outputSize()).append('\n');
            for (float v : output) {
                text.append(Float.toString(v)).append('\n');
            }
            Files.writeString(RESOURCES.resolve("kiln_conv_valid_max_output.ref"), text);
        }
        assertArrayEquals(Files.readAllBytes(committed), Files.readAllBytes(saved), "Kiln no longer writes the file PyTorch was checked on");
        assertArrayEquals(ReferenceFile.resource("/reference/kiln_conv_valid_max_output.ref").get("output"), output);
    }
}
