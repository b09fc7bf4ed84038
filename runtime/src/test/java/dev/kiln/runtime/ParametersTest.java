package dev.kiln.runtime;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.runtime.io.SafeTensors;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Tensors stored transposed for the kernels still look like PyTorch's to everything that names them. */
class ParametersTest {
    /** fc.weight is (2, 3) in PyTorch, stored as (3, 2); fc.bias (2) as it is. */
    private static Parameters parameters() {
        return new Parameters(List.of(ParameterTensor.transposed("fc.weight", 0, 2, 3), new ParameterTensor("fc.bias", 6, 2)));
    }

    @Test
    void setAndGetUsePyTorchsLayoutWhileTheStorageIsTransposed() {
        Parameters p = parameters();
        p.set("fc.weight", new float[] {1, 2, 3, 4, 5, 6});
        assertArrayEquals(new float[] {1, 4, 2, 5, 3, 6}, java.util.Arrays.copyOf(p.values(), 6), "stored as W^T (3, 2)");
        assertArrayEquals(new float[] {1, 2, 3, 4, 5, 6}, p.get("fc.weight"));
        p.gradients()[1] = 7;
        assertArrayEquals(new float[] {0, 0, 0, 7, 0, 0}, p.gradient("fc.weight"), "W^T[0][1] is W[1][0]");
        p.set("fc.bias", new float[] {8, 9});
        assertArrayEquals(new float[] {1, 2, 3, 4, 5, 6, 8, 9}, p.pytorchValues());
    }

    /**
     * A Dense weight (1, 4) after a Flatten of a (1, 2, 2) image, height 1, width 2, 2 channels: PyTorch's
     * columns are (channel, height, width) = c0w0, c0w1, c1w0, c1w1; Kiln's rows of W^T are
     * (height, width, channel) = w0c0, w0c1, w1c0, w1c1.
     */
    @Test
    void aDenseWeightAfterAFlattenOfAnImageHasPyTorchsColumnOrder() {
        Parameters p = new Parameters(List.of(ParameterTensor.flattenedImage("fc.weight", 0, 1, 1, 2, 2)));
        p.set("fc.weight", new float[] {10, 11, 20, 21}); // c0w0, c0w1, c1w0, c1w1
        assertArrayEquals(new float[] {10, 20, 11, 21}, p.values(), "stored as w0c0, w0c1, w1c0, w1c1");
        assertArrayEquals(new float[] {10, 11, 20, 21}, p.get("fc.weight"));
        assertArrayEquals(new float[] {10, 11, 20, 21}, p.pytorchValues());
        p.gradients()[1] = 7; // the gradient of w0c1
        assertArrayEquals(new float[] {0, 0, 7, 0}, p.gradient("fc.weight"), "w0c1 is PyTorch's column c1w0");
        assertTrue(p.tensor("fc.weight").permutedColumns());
    }

    @Test
    void setPytorchValuesIsTheInverseOfPytorchValues() {
        Parameters p = parameters();
        p.setPytorchValues(new float[] {1, 2, 3, 4, 5, 6, 8, 9});
        assertArrayEquals(new float[] {1, 4, 2, 5, 3, 6, 8, 9}, p.values());
        assertArrayEquals(new float[] {1, 2, 3, 4, 5, 6, 8, 9}, p.pytorchValues());
        assertThrows(IllegalArgumentException.class, () -> p.setPytorchValues(new float[7]));
    }

    @Test
    void weightFilesHoldPyTorchsLayout(@TempDir Path dir) throws IOException {
        Parameters p = parameters();
        p.set("fc.weight", new float[] {1, 2, 3, 4, 5, 6});
        p.set("fc.bias", new float[] {8, 9});
        Path file = dir.resolve("w.safetensors");
        SafeTensors.save(p, file);
        Parameters plain = new Parameters(List.of(new ParameterTensor("fc.weight", 0, 2, 3), new ParameterTensor("fc.bias", 6, 2)));
        SafeTensors.load(plain, file);
        assertArrayEquals(new float[] {1, 2, 3, 4, 5, 6, 8, 9}, plain.values(), "a reader without transposition sees W (2, 3)");
        Parameters back = parameters();
        SafeTensors.load(back, file);
        assertArrayEquals(p.values(), back.values());
    }

    @Test
    void tensorsMustTileTheVectorWithoutOverlap() {
        assertTrue(ParameterTensor.transposed("w", 0, 2, 3).transposed());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new Parameters(List.of(ParameterTensor.transposed("w", 0, 2, 3), new ParameterTensor("b", 5, 2))));
        assertTrue(e.getMessage().contains("b starts at 5 but the previous tensor ends at 6"), e.getMessage());
    }
}
