package dev.kiln.runtime.io;

import static dev.kiln.runtime.io.SafeTensorsFiles.floats;
import static dev.kiln.runtime.io.SafeTensorsFiles.tensor;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.runtime.ParameterTensor;
import dev.kiln.runtime.Parameters;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every way a weight file can be wrong gives a {@link WeightFileException} naming the file (and the
 * tensor), and leaves the parameters exactly as they were.
 */
class SafeTensorsLoadErrorsTest {
    /** The model: hidden.weight (2, 3) and hidden.bias (2), 32 bytes of F32. */
    private static final String WEIGHT = tensor("hidden.weight", "F32", "[2,3]", 0, 24);
    private static final String BIAS = tensor("hidden.bias", "F32", "[2]", 24, 32);

    @TempDir
    Path dir;

    private static Parameters parameters() {
        Parameters p = new Parameters(List.of(new ParameterTensor("hidden.weight", 0, 2, 3), new ParameterTensor("hidden.bias", 6, 2)));
        Arrays.fill(p.values(), 42);
        return p;
    }

    private Path file(String header, byte[] data) throws IOException {
        return SafeTensorsFiles.write(dir.resolve("w.safetensors"), header, data);
    }

    /** Loads, expects a failure, checks the file is named and nothing changed; returns the message. */
    private static String loadError(Path file, ExtraTensors extra) {
        Parameters p = parameters();
        String message = assertThrows(WeightFileException.class, () -> SafeTensors.load(p, file, extra)).getMessage();
        assertTrue(message.startsWith(file.toString()), message);
        assertArrayEquals(parameters().values(), p.values(), "a failed load must leave the parameters untouched");
        return message;
    }

    private static void assertContains(String message, String... parts) {
        for (String part : parts) {
            assertTrue(message.contains(part), "expected \"" + part + "\" in: " + message);
        }
    }

    @Test
    void validFileLoads() throws IOException {
        Parameters p = parameters();

        SafeTensors.load(p, file("{" + BIAS + "," + WEIGHT + "}", floats(8)));

        assertArrayEquals(new float[] {1, 2, 3, 4, 5, 6, 7, 8}, p.values());
    }

    @Test
    void missingFile() {
        String message = loadError(dir.resolve("nope.safetensors"), ExtraTensors.REJECT);

        assertContains(message, "no such file");
        assertContains(loadError(dir, ExtraTensors.REJECT), "is not a regular file");
    }

    @Test
    void fileShorterThanTheHeaderLength() throws IOException {
        Path file = Files.write(dir.resolve("w.safetensors"), new byte[] {1, 2, 3});

        assertContains(loadError(file, ExtraTensors.REJECT), "is 3 bytes long, shorter than the 8-byte header length");
    }

    @Test
    void headerOver100MegabytesIsRejectedBeforeReadingIt() throws IOException {
        byte[] bytes = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putLong(100_000_001L).array();
        Path file = Files.write(dir.resolve("w.safetensors"), bytes);

        assertContains(loadError(file, ExtraTensors.REJECT),
                "header length is 100000001 bytes, over the limit of 100000000", "safetensors.torch.save_file");
    }

    @Test
    void pickleZipIsNotMistakenForAHeader() throws IOException {
        Path file = Files.write(dir.resolve("w.safetensors"), new byte[] {'P', 'K', 3, 4, 20, 0, 0, 0, 8, 0});

        assertContains(loadError(file, ExtraTensors.REJECT), "not a safetensors file (a PyTorch .pt or .bin pickle?)");
    }

    @Test
    void headerLongerThanTheFileIsTruncation() throws IOException {
        byte[] bytes = ByteBuffer.allocate(20).order(ByteOrder.LITTLE_ENDIAN).putLong(64).put("{\"a\":".getBytes()).array();
        Path file = Files.write(dir.resolve("w.safetensors"), bytes);

        assertContains(loadError(file, ExtraTensors.REJECT), "is truncated: the header length says 64 bytes of header but only 12 bytes follow");
    }

    @Test
    void truncatedDataNamesTheTensorThatRunsPastTheEnd() throws IOException {
        Path file = file("{" + WEIGHT + "," + BIAS + "}", Arrays.copyOf(floats(8), 30));

        assertContains(loadError(file, ExtraTensors.REJECT),
                "tensor 'hidden.bias' has data_offsets [24, 32) but the data section holds only 30 bytes",
                "truncated");
    }

    @Test
    void overlappingOffsets() throws IOException {
        Path file = file("{" + tensor("hidden.weight", "F32", "[2,3]", 0, 24) + "," + tensor("hidden.bias", "F32", "[2]", 20, 28) + "}",
                floats(7));

        assertContains(loadError(file, ExtraTensors.REJECT), "tensor 'hidden.bias' at [20, 28) overlaps tensor 'hidden.weight' at [0, 24)");
    }

    @Test
    void gapBetweenTensors() throws IOException {
        Path file = file("{" + tensor("hidden.weight", "F32", "[2,3]", 0, 24) + "," + tensor("hidden.bias", "F32", "[2]", 28, 36) + "}",
                floats(9));

        assertContains(loadError(file, ExtraTensors.REJECT), "bytes [24, 28) of the data section, before tensor 'hidden.bias', belong to no tensor");
    }

    @Test
    void bytesAfterTheLastTensor() throws IOException {
        Path file = file("{" + WEIGHT + "," + BIAS + "}", floats(9));

        assertContains(loadError(file, ExtraTensors.REJECT), "the data section holds 36 bytes but the tensors cover only 32");
    }

    @Test
    void offsetsThatEndBeforeTheyBegin() throws IOException {
        Path file = file("{" + tensor("hidden.weight", "F32", "[2,3]", 24, 0) + "," + BIAS + "}", floats(8));

        assertContains(loadError(file, ExtraTensors.REJECT), "tensor 'hidden.weight' has data_offsets [24, 0) that end before they begin");
    }

    @Test
    void rangeThatDoesNotHoldTheShape() throws IOException {
        Path file = file("{" + tensor("hidden.weight", "F32", "[2,3]", 0, 20) + "," + tensor("hidden.bias", "F32", "[2]", 20, 28) + "}",
                floats(7));

        assertContains(loadError(file, ExtraTensors.REJECT),
                "tensor 'hidden.weight' has data_offsets [0, 20) spanning 20 bytes but F32 (2, 3) needs 24");
    }

    @Test
    void dtypeOtherThanF32NamesTheTensorAndTheConversion() throws IOException {
        Path file = file("{" + tensor("hidden.weight", "F16", "[2,3]", 0, 12) + "," + tensor("hidden.bias", "F32", "[2]", 12, 20) + "}",
                floats(5));

        assertContains(loadError(file, ExtraTensors.REJECT), "tensor 'hidden.weight' has dtype F16 but Kiln reads only F32", "v.float()");
    }

    @Test
    void shapeMismatchNamesTheTensorAndBothShapes() throws IOException {
        Path file = file("{" + tensor("hidden.weight", "F32", "[3,3]", 0, 36) + "," + tensor("hidden.bias", "F32", "[2]", 36, 44) + "}",
                floats(11));

        assertContains(loadError(file, ExtraTensors.REJECT), "tensor 'hidden.weight' has shape (3, 3) in the file but the model expects (2, 3)",
                "different architecture");
    }

    @Test
    void transposedWeightIsRecognised() throws IOException {
        Path file = file("{" + tensor("hidden.weight", "F32", "[3,2]", 0, 24) + "," + BIAS + "}", floats(8));

        assertContains(loadError(file, ExtraTensors.REJECT), "has shape (3, 2) in the file but the model expects (2, 3)", "It is transposed");
    }

    @Test
    void missingTensorIsNamedWithWhatTheFileHolds() throws IOException {
        Path file = file("{" + WEIGHT + "}", floats(6));

        assertContains(loadError(file, ExtraTensors.IGNORE), "the file has no tensor 'hidden.bias' (2); it holds [hidden.weight]");
    }

    @Test
    void extraTensorIsAnErrorUnlessIgnored() throws IOException {
        Path file = file("{" + WEIGHT + "," + BIAS + "," + tensor("extra.weight", "F32", "[1]", 32, 36) + "}", floats(9));

        assertContains(loadError(file, ExtraTensors.REJECT),
                "the file has tensor 'extra.weight' (1) that the model does not have", "ExtraTensors.IGNORE");
        Parameters p = parameters();
        SafeTensors.load(p, file, ExtraTensors.IGNORE);
        assertArrayEquals(new float[] {1, 2, 3, 4, 5, 6, 7, 8}, p.values());
    }

    @Test
    void everyMismatchIsListedAtOnce() throws IOException {
        Path file = file("{" + tensor("hidden.weight", "F64", "[2,3]", 0, 48) + "," + tensor("other", "F32", "[2]", 48, 56) + "}", floats(14));

        String message = loadError(file, ExtraTensors.REJECT);

        assertContains(message, "nothing was loaded", "dtype F64", "no tensor 'hidden.bias'", "tensor 'other' (2)");
    }

    @Test
    void invalidJson() throws IOException {
        assertContains(loadError(file("{" + WEIGHT + "," + BIAS + ",}", floats(8)), ExtraTensors.REJECT), "the header is not valid JSON",
                "expected a member name");
        assertContains(loadError(file("{" + WEIGHT + "," + WEIGHT.replace("hidden.weight", "hidden.bias") + "," + BIAS + "}", floats(8)),
                ExtraTensors.REJECT), "duplicate member name \"hidden.bias\"");
        assertContains(loadError(file("[1]", new byte[0]), ExtraTensors.REJECT), "does not start with '{'");
        assertContains(loadError(file("{\"a\":1.5}", new byte[0]), ExtraTensors.REJECT), "only integers");
    }

    @Test
    void headerThatIsNotUtf8() throws IOException {
        Path file = SafeTensorsFiles.write(dir.resolve("w.safetensors"), "{}", new byte[0]);
        byte[] bytes = Files.readAllBytes(file);
        bytes[9] = (byte) 0xff;
        Files.write(file, bytes);

        assertContains(loadError(file, ExtraTensors.REJECT), "the header is not valid UTF-8");
    }

    @Test
    void malformedEntries() throws IOException {
        assertContains(loadError(file("{\"hidden.weight\":{\"shape\":[2,3],\"data_offsets\":[0,24]}}", floats(6)), ExtraTensors.IGNORE),
                "tensor 'hidden.weight' has no dtype");
        assertContains(loadError(file("{\"hidden.weight\":{\"dtype\":\"F32\",\"shape\":[2,-3],\"data_offsets\":[0,24]}}", floats(6)),
                ExtraTensors.IGNORE), "has shape [2, -3]; expected non-negative integers");
        assertContains(loadError(file("{\"hidden.weight\":{\"dtype\":\"F32\",\"shape\":[2,3],\"data_offsets\":[24]}}", floats(6)),
                ExtraTensors.IGNORE), "has 1 data_offsets, expected 2");
        assertContains(loadError(file("{\"hidden.weight\":[]}", floats(0)), ExtraTensors.IGNORE), "is described by an array");
        assertContains(loadError(file("{\"__metadata__\":{\"epoch\":3}," + WEIGHT + "," + BIAS + "}", floats(8)), ExtraTensors.REJECT),
                "__metadata__ entry \"epoch\" is not a string");
    }

    @Test
    void loadingDoesNotDependOnTheOrderOfTheFile() throws IOException {
        Path file = file("{" + tensor("hidden.bias", "F32", "[2]", 0, 8) + "," + tensor("hidden.weight", "F32", "[2,3]", 8, 32) + "}", floats(8));
        Parameters p = parameters();

        SafeTensors.load(p, file);

        assertEquals(1, p.get("hidden.bias")[0]);
        assertArrayEquals(new float[] {3, 4, 5, 6, 7, 8}, p.get("hidden.weight"));
    }
}
