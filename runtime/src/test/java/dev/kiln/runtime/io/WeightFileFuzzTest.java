package dev.kiln.runtime.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.kiln.runtime.ParameterTensor;
import dev.kiln.runtime.Parameters;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Coverage-guided fuzzing of the safetensors reader (Jazzer). Whatever the bytes, loading either
 * succeeds with finite values, or throws the documented {@link WeightFileException} and leaves the
 * parameters as they were; any other exception, a hang or running out of memory is a finding.
 * {@code mvn verify} replays the committed inputs in {@code WeightFileFuzzTestInputs}; see
 * docs/fuzzing.md for a fuzzing run.
 */
class WeightFileFuzzTest {
    private static final Path FILE = temporaryFile();

    private static Path temporaryFile() {
        try {
            Path file = Files.createTempFile("kiln-fuzz-", ".safetensors");
            file.toFile().deleteOnExit();
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The model of the inputs: hidden.weight (2, 3) and hidden.bias (2), stored transposed as the kernels keep it. */
    private static Parameters parameters() {
        return new Parameters(List.of(ParameterTensor.transposed("hidden.weight", 0, 2, 3), new ParameterTensor("hidden.bias", 6, 2)));
    }

    @FuzzTest(maxDuration = "30s")
    void loadsOrRefusesWithWeightFileException(byte[] bytes) throws IOException {
        Files.write(FILE, bytes);
        for (ExtraTensors extra : ExtraTensors.values()) {
            Parameters parameters = parameters();
            float[] before = parameters.values().clone();
            try {
                SafeTensors.load(parameters, FILE, extra);
                for (float v : parameters.values()) {
                    assertTrue(Float.isFinite(v), "a loaded value is not finite");
                }
            } catch (WeightFileException e) {
                assertArrayEquals(before, parameters.values(), "a failed load changed the parameters");
                assertTrue(e.getMessage().length() < 10_000, "a message of " + e.getMessage().length() + " characters");
            }
        }
        try {
            SafeTensors.metadata(FILE);
        } catch (WeightFileException e) {
            assertTrue(e.getMessage().startsWith(FILE.toString()), e.getMessage());
        }
    }
}
