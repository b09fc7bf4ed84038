package dev.kiln.runtime;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.runtime.data.CsvReader;
import dev.kiln.runtime.data.IdxFile;
import dev.kiln.runtime.io.SafeTensors;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Files that decompress or parse into far more than they weigh (gzip bombs, one enormous line, a
 * header of a million tensors) are read in a JVM with a 64 MB heap: each ends in the loader's
 * documented exception, never in an OutOfMemoryError.
 */
class BoundedMemoryTest {
    @TempDir
    static Path dir;

    /** Run in the child JVM: reads each file as its name says and prints how each read ended. */
    public static void main(String[] args) {
        for (String arg : args) {
            Path file = Path.of(arg);
            String name = file.getFileName().toString();
            try {
                if (name.endsWith(".safetensors")) {
                    SafeTensors.load(new Parameters(List.of(new ParameterTensor("fc.weight", 0, 2, 3))), file);
                } else if (name.contains("idx")) {
                    IdxFile.read(file, name.contains("images") ? 3 : 1);
                } else {
                    new CsvReader().label(0).read(file);
                }
                System.out.println(name + " -> read");
            } catch (Throwable e) {
                System.out.println(name + " -> " + e.getClass().getSimpleName() + ": " + e.getMessage().lines().findFirst().orElse(""));
            }
        }
    }

    @Test
    void filesThatExpandBeyondTheHeapEndInTheLoadersException() throws IOException, InterruptedException {
        List<String> files = new ArrayList<>();
        files.add(gzip("bomb-csv.csv.gz", "0,".repeat(99) + "0\n", 1_500_000)); // 300 MB of zeros
        files.add(gzip("bomb-line.csv.gz", "1,", 25_000_000)); // one 50 MB line
        ByteBuffer images = ByteBuffer.allocate(16).putInt(0x803).putInt(100).putInt(28).putInt(28);
        files.add(gzip("bomb-images-idx.gz", images.array(), new byte[1 << 20], 300)); // 300 MB after 100 images
        ByteBuffer labels = ByteBuffer.allocate(8).putInt(0x801).putInt(2_000_000_000);
        files.add(gzip("bomb-labels-idx.gz", labels.array(), new byte[1 << 20], 300)); // claims 2 GB, holds 300 MB
        files.add(manyTensors("many.safetensors", 1_500_000).toString());
        files.add(manyTensors("some.safetensors", 100_000).toString());

        List<String> command = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"), "-Xmx64m",
                "-cp", System.getProperty("java.class.path"), BoundedMemoryTest.class.getName()));
        command.addAll(files);
        Process child = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(child.waitFor(3, TimeUnit.MINUTES), "the child JVM did not end");
        System.out.print(output);
        for (String line : List.of("bomb-csv.csv.gz -> DataFileException", "bomb-line.csv.gz -> DataFileException",
                "bomb-images-idx.gz -> DataFileException", "bomb-labels-idx.gz -> DataFileException",
                "many.safetensors -> WeightFileException", "some.safetensors -> WeightFileException")) {
            assertTrue(output.contains(line), "expected '" + line + "' in:\n" + output);
        }
        assertTrue(!output.contains("OutOfMemoryError"), output);
    }

    private static String gzip(String name, String text, int times) throws IOException {
        byte[] unit = text.getBytes(StandardCharsets.US_ASCII);
        Path file = dir.resolve(name);
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(file), 1 << 16)) {
            for (int i = 0; i < times; i++) {
                out.write(unit);
            }
        }
        return file.toString();
    }

    private static String gzip(String name, byte[] head, byte[] block, int blocks) throws IOException {
        Path file = dir.resolve(name);
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(file), 1 << 16)) {
            out.write(head);
            for (int i = 0; i < blocks; i++) {
                out.write(block);
            }
        }
        return file.toString();
    }

    /** A safetensors file of {@code count} zero-size tensors and no fc.weight. */
    private static Path manyTensors(String name, int count) throws IOException {
        StringBuilder header = new StringBuilder("{");
        for (int i = 0; i < count; i++) {
            header.append(i == 0 ? "" : ",").append("\"t").append(i).append("\":{\"dtype\":\"F32\",\"shape\":[0],\"data_offsets\":[0,0]}");
        }
        byte[] json = header.append('}').toString().getBytes(StandardCharsets.UTF_8);
        Path file = dir.resolve(name);
        try (OutputStream out = Files.newOutputStream(file)) {
            out.write(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(json.length).array());
            out.write(json);
        }
        return file;
    }
}
