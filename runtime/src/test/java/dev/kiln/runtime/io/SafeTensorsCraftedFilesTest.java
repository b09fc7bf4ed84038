package dev.kiln.runtime.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.runtime.ParameterTensor;
import dev.kiln.runtime.Parameters;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Files made to hurt the loader, as a fuzzer found them: each ends in a {@link WeightFileException}
 * with a short message, the memory the load allocates stays within a small multiple of the file's
 * size, and no file descriptor is left open.
 */
class SafeTensorsCraftedFilesTest {
    /** The bytes a load may allocate per byte of file. */
    private static final long ALLOCATION_PER_BYTE = 8;

    @TempDir
    Path dir;

    private static Parameters parameters() {
        return new Parameters(List.of(new ParameterTensor("fc.weight", 0, 2, 3)));
    }

    /** Loads, expects a WeightFileException, checks the allocation of a second load (the first loads classes); returns the message. */
    private static String refused(Path file) throws IOException {
        assertThrows(WeightFileException.class, () -> SafeTensors.load(parameters(), file));
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long before = threads.getCurrentThreadAllocatedBytes();
        String message = assertThrows(WeightFileException.class, () -> SafeTensors.load(parameters(), file)).getMessage();
        long allocated = threads.getCurrentThreadAllocatedBytes() - before;
        long size = Files.size(file);
        System.out.printf("%s: %,d bytes allocated for a %,d-byte file (%.1fx)%n", file.getFileName(), allocated, size, (double) allocated / size);
        assertTrue(allocated <= ALLOCATION_PER_BYTE * size + (1 << 20), "a " + size + "-byte file made the load allocate " + allocated + " bytes");
        assertTrue(message.length() < 4000, "a message of " + message.length() + " characters");
        return message;
    }

    @Test
    void deeplyNestedArraysAreAnErrorNotAStackOverflow() throws IOException {
        String header = "{\"x\":" + "[".repeat(100_000) + "]".repeat(100_000) + "}";
        Path file = SafeTensorsFiles.write(dir.resolve("nested.safetensors"), header, new byte[0]);
        assertTrue(refused(file).contains("tensor 'x' is described by an array, not an object with dtype, shape and data_offsets"));
        String deepShape = "{\"x\":{\"dtype\":\"F32\",\"shape\":" + "[".repeat(100_000) + "]".repeat(100_000) + ",\"data_offsets\":[0,0]}}";
        assertTrue(refused(SafeTensorsFiles.write(dir.resolve("shape.safetensors"), deepShape, new byte[0]))
                .contains("tensor 'x' has shape holding an array; expected non-negative integers"));
    }

    @Test
    void aShapeOfMillionsOfDimensionsIsRefusedAsItIsRead() throws IOException {
        String header = "{\"x\":{\"dtype\":\"F32\",\"shape\":[" + "1,".repeat(5_000_000) + "1],\"data_offsets\":[0,4]}}";
        Path file = SafeTensorsFiles.write(dir.resolve("rank.safetensors"), header, new byte[4]);
        assertTrue(refused(file).contains("tensor 'x' has a shape of more than 64 dimensions"));
    }

    @Test
    void hundredsOfThousandsOfEmptyTensorsGiveAShortMessage() throws IOException {
        StringBuilder header = new StringBuilder("{");
        for (int i = 0; i < 300_000; i++) {
            header.append(i == 0 ? "" : ",").append("\"t").append(i).append("\":{\"dtype\":\"F32\",\"shape\":[0],\"data_offsets\":[0,0]}");
        }
        header.append(",\"fc.weight\":{\"dtype\":\"F32\",\"shape\":[2,3],\"data_offsets\":[0,24]}}");
        Path file = SafeTensorsFiles.write(dir.resolve("many.safetensors"), header.toString(), new byte[24]);
        String message = refused(file);
        assertTrue(message.contains("and 299,990 more tensors that the model does not have"), message);
    }

    @Test
    void aMissingTensorNamesOnlyTenOfWhatTheFileHolds() throws IOException {
        StringBuilder header = new StringBuilder("{");
        for (int i = 0; i < 1000; i++) {
            header.append(i == 0 ? "" : ",").append("\"t").append(i).append("\":{\"dtype\":\"F32\",\"shape\":[0],\"data_offsets\":[0,0]}");
        }
        Path file = SafeTensorsFiles.write(dir.resolve("other.safetensors"), header.append('}').toString(), new byte[0]);
        assertTrue(refused(file).contains("the file has no tensor 'fc.weight' (2, 3); it holds [t0, t1, t2, t3, t4, t5, t6, t7, t8, t9, ... and 990 more]"));
    }

    @Test
    void failedLoadsLeaveNoFileOpen() throws IOException {
        Path nested = SafeTensorsFiles.write(dir.resolve("nested.safetensors"), "{\"x\":" + "[".repeat(5000) + "}", new byte[0]);
        Path truncated = SafeTensorsFiles.write(dir.resolve("short.safetensors"), "{\"fc.weight\":{\"dtype\":\"F32\",\"shape\":[2,3],\"data_offsets\":[0,24]}}",
                new byte[4]);
        long open = openFiles();
        for (int i = 0; i < 200; i++) {
            assertThrows(WeightFileException.class, () -> SafeTensors.load(parameters(), nested));
            assertThrows(WeightFileException.class, () -> SafeTensors.load(parameters(), truncated));
        }
        assertEquals(open, openFiles(), "file descriptors left open by failed loads");
    }

    private static long openFiles() throws IOException {
        try (var fds = Files.list(Path.of("/proc/self/fd"))) {
            return fds.count();
        }
    }
}
