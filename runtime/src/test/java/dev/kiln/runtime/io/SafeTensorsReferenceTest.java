package dev.kiln.runtime.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import dev.kiln.runtime.ParameterTensor;
import dev.kiln.runtime.Parameters;
import dev.kiln.runtime.testing.ReferenceFile;
import java.io.IOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Compatibility with PyTorch both ways, through files committed under
 * {@code src/test/resources/reference}:
 *
 * <ul>
 *   <li>{@code torch_saved.safetensors} was written by {@code safetensors.torch.save_file} (see
 *       {@code tools/reference/record_safetensors.py}); Kiln must load it value for value.
 *   <li>{@code kiln_saved.safetensors} was written by Kiln from {@link #knownParameters()} and
 *       checked by {@code tools/reference/check_kiln_saved.py}, which loads it into PyTorch. Kiln
 *       must still write exactly these bytes, so the verified format cannot drift.
 * </ul>
 *
 * <p>If the format changes on purpose, regenerate the committed file with {@code mvn -pl runtime
 * test -Dtest=SafeTensorsReferenceTest -Dkiln.regenerateReference=true} (from the repository root)
 * and run {@code check_kiln_saved.py} again before committing it.
 */
class SafeTensorsReferenceTest {
    /** The committed file in the source tree, relative to the runtime module where Maven runs the tests. */
    private static final Path COMMITTED = Path.of("src/test/resources/reference/kiln_saved.safetensors");

    @TempDir
    Path dir;

    /** The values check_kiln_saved.py expects, chosen to catch any rounding or byte-order slip. */
    static Parameters knownParameters() {
        Parameters p = SafeTensorsFiles.tinyNet();
        p.set("hidden.weight", new float[] {
            0.1f, -0.0f, 1.0f, -2.5f,
            1.0e-40f, Float.MAX_VALUE, -Float.MIN_NORMAL, 1f / 3f,
            123456.79f, -1.0e-7f, Float.MIN_VALUE, 3.0f,
        });
        p.set("hidden.bias", new float[] {0.5f, -0.25f, 7.0f});
        p.set("out.weight", new float[] {1.5f, -3.75f, 0.2f, -0.3f, 2.0f, 1.0e10f});
        p.set("out.bias", new float[] {0.0f, -1.0f});
        return p;
    }

    private static Path resource(String name) throws URISyntaxException {
        URL url = SafeTensorsReferenceTest.class.getResource("/reference/" + name);
        assertNotNull(url, "missing test resource /reference/" + name + "; record it with the scripts in tools/reference");
        return Path.of(url.toURI());
    }

    private static int[] bits(float[] values) {
        int[] bits = new int[values.length];
        for (int i = 0; i < values.length; i++) {
            bits[i] = Float.floatToRawIntBits(values[i]);
        }
        return bits;
    }

    @Test
    void loadsWhatPyTorchSavedValueForValue() throws Exception {
        Path file = resource("torch_saved.safetensors");
        ReferenceFile ref = ReferenceFile.resource("/reference/torch_saved.ref");
        Parameters p = SafeTensorsFiles.tinyNet();

        SafeTensors.load(p, file);

        for (ParameterTensor t : p.tensors()) {
            assertArrayEquals(ref.shape(t.name()), t.shape(), t.name());
            assertArrayEquals(bits(ref.get(t.name())), bits(p.get(t.name())), t.name() + " differs from what PyTorch saved");
        }
        assertEquals(Map.of("format", "pt"), SafeTensors.metadata(file));
    }

    @Test
    void writesExactlyTheBytesPyTorchWasCheckedAgainst() throws Exception {
        Path file = dir.resolve("kiln_saved.safetensors");
        SafeTensors.save(knownParameters(), file, Map.of("format", "pt", "kiln.model", "TinyNet"));
        byte[] written = Files.readAllBytes(file);
        if (Boolean.getBoolean("kiln.regenerateReference")) {
            Files.write(COMMITTED, written);
        }

        byte[] committed = Files.readAllBytes(COMMITTED);

        assertArrayEquals(committed, written, "Kiln no longer writes the bytes check_kiln_saved.py verified; see this class's comment");
    }

    @Test
    void loadsTheCommittedKilnFileBack() throws Exception {
        Parameters p = SafeTensorsFiles.tinyNet();

        SafeTensors.load(p, resource("kiln_saved.safetensors"));

        assertArrayEquals(bits(knownParameters().values()), bits(p.values()));
    }
}
