package dev.kiln.runtime.data;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every way a data file can be damaged ends in a {@link DataFileException} that names the file, as
 * a fuzzer found them: gzip streams cut or corrupted anywhere, IDX dimensions that overflow or hold
 * nothing, numbers beyond a float.
 */
class DataFileFaultsTest {
    @TempDir
    Path dir;

    private Path write(String name, byte[] bytes) throws IOException {
        return Files.write(dir.resolve(name), bytes);
    }

    private static String fails(IoAction read, Path file) {
        DataFileException e = assertThrows(DataFileException.class, read::run);
        assertTrue(e.getMessage().startsWith(file.toString() + ": "), e.getMessage());
        return e.getMessage();
    }

    private interface IoAction {
        void run() throws IOException;
    }

    private static byte[] csv(int rows) {
        StringBuilder text = new StringBuilder();
        for (int r = 0; r < rows; r++) {
            text.append(r % 7).append(',').append(r % 3).append(",0.5\n");
        }
        return text.toString().getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void everyCutOfAGzippedCsvNamesTheFile() throws IOException {
        byte[] gz = IdxBytes.gzip(csv(2000));
        for (int cut = 2; cut < gz.length; cut += Math.max(1, gz.length / 40)) {
            Path file = write("cut" + cut + ".csv.gz", Arrays.copyOf(gz, cut));
            String message = fails(() -> new CsvReader().label(0).read(file), file);
            assertTrue(message.contains("the gzip data is corrupt or ends early"), message);
        }
    }

    @Test
    void corruptedGzipHeadersAndDataNameTheFile() throws IOException {
        byte[] gz = IdxBytes.gzip(csv(200));
        byte[] badHeader = gz.clone();
        badHeader[2] = 9; // compression method other than deflate
        Path header = write("header.csv.gz", badHeader);
        assertTrue(fails(() -> new CsvReader().label(0).read(header), header).contains("the gzip data is corrupt"));
        byte[] badData = gz.clone();
        for (int i = 12; i < badData.length - 8; i += 3) {
            badData[i] ^= 0x5a;
        }
        Path data = write("data.csv.gz", badData);
        assertTrue(fails(() -> new CsvReader().label(0).read(data), data).contains("the gzip data is corrupt"));
        Path idx = write("images.gz", Arrays.copyOf(IdxBytes.gzip(IdxBytes.images(2, 2, 2, new byte[8])), 11));
        assertTrue(fails(() -> IdxFile.read(idx, 3), idx).contains("the gzip data is corrupt or ends early"));
    }

    @Test
    void idxDimensionsThatOverflowOrHoldNothingAreErrors() throws IOException {
        Path wide = write("wide", IdxBytes.images(0, 65536, 65536, new byte[0]));
        assertTrue(fails(() -> IdxFile.read(wide, 3), wide).contains("hold more than 2^31 values"));
        Path labels = write("labels", IdxBytes.labels());
        Path images = wide;
        assertTrue(fails(() -> Mnist.load(images, labels), images).contains("hold more than 2^31 values"));
        Path empty = write("empty", IdxBytes.images(10, 0, 28, new byte[0]));
        assertTrue(fails(() -> IdxFile.read(empty, 3), empty).contains("dimensions [10, 0] give each image no values"));
    }

    @Test
    void aNumberBeyondAFloatIsAnErrorNotInfinity() throws IOException {
        Path file = write("big.csv", "1,2\n1e39,0\n".getBytes(StandardCharsets.UTF_8));
        String message = fails(() -> new CsvReader().label(-1).read(file), file);
        assertTrue(message.contains("line 2, column 1: 1e39 is beyond the range of a float"), message);
    }

    @Test
    void aLineLongerThanAnyCsvRowIsAnError() throws IOException {
        byte[] line = new byte[CsvReader.MAX_LINE + 10];
        Arrays.fill(line, (byte) '7');
        Path file = write("long.csv", line);
        assertTrue(fails(() -> new CsvReader().label(-1).read(file), file).contains("line 1 is longer than 4,194,304 characters"));
    }
}
