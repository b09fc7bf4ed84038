package dev.kiln.runtime.io;

import dev.kiln.runtime.ParameterTensor;
import dev.kiln.runtime.Parameters;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Writes {@link Parameters} as a safetensors file, atomically: the bytes go to a temporary file in
 * the same directory, which is flushed to disk and then renamed over the target. A crash leaves
 * either the old file or the new one, never half of one.
 *
 * <p>The output is deterministic: tensors in declaration order, all F32, in one contiguous data
 * section that is {@link Parameters#pytorchValues()} in little-endian order.
 */
final class SafeTensorsWriter {
    private static final int CHUNK_FLOATS = 1 << 16;
    /** How old a temporary file without a process id must be to count as abandoned. */
    private static final int ABANDONED_MINUTES = 10;

    private SafeTensorsWriter() {
    }

    static void save(Parameters parameters, Path path, Map<String, String> metadata) throws IOException {
        Path target = path.toAbsolutePath();
        Path directory = target.getParent();
        if (!Files.isDirectory(directory)) {
            throw new WeightFileException(path.toString(), "cannot save: directory " + directory + " does not exist; create it first");
        }
        byte[] header = SafeTensorsHeader.encode(entries(parameters), metadata);
        Path temporary = createTemporary(directory, target.getFileName().toString());
        try {
            try (FileChannel channel = FileChannel.open(temporary, StandardOpenOption.WRITE)) {
                write(channel, ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(0, header.length));
                write(channel, ByteBuffer.wrap(header));
                writeFloats(channel, parameters.pytorchValues());
                channel.force(true);
            }
            replace(temporary, target);
        } catch (Throwable e) {
            try {
                Files.deleteIfExists(temporary);
            } catch (IOException cleanup) {
                e.addSuppressed(cleanup);
            }
            throw e;
        }
        syncDirectory(directory);
    }

    private static List<TensorEntry> entries(Parameters parameters) {
        List<TensorEntry> entries = new ArrayList<>();
        for (ParameterTensor t : parameters.tensors()) {
            if (t.name().equals(SafeTensorsHeader.METADATA)) {
                throw new IllegalArgumentException("a tensor cannot be named " + SafeTensorsHeader.METADATA + " in a safetensors file");
            }
            long[] shape = Arrays.stream(t.shape()).asLongStream().toArray();
            long begin = (long) t.offset() * Float.BYTES;
            entries.add(new TensorEntry(t.name(), "F32", shape, begin, begin + (long) t.size() * Float.BYTES));
        }
        return entries;
    }

    /**
     * A new empty file {@code .NAME.PID.RANDOM.tmp} next to the target, created with the usual
     * permissions, after removing those that saves of processes no longer running left behind.
     */
    private static Path createTemporary(Path directory, String name) throws IOException {
        removeAbandoned(directory, name);
        long pid = ProcessHandle.current().pid();
        while (true) {
            Path candidate = directory.resolve("." + name + "." + pid + "." + Long.toHexString(ThreadLocalRandom.current().nextLong()) + ".tmp");
            try {
                FileChannel.open(candidate, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE).close();
                return candidate;
            } catch (FileAlreadyExistsException taken) {
                // another save drew the same name: draw again
            }
        }
    }

    /**
     * Deletes the temporary files of earlier saves to {@code name} that cannot finish: those whose
     * process is no longer running, and those without a process id (written before Kiln recorded
     * one) not touched for {@value #ABANDONED_MINUTES} minutes. A save in progress elsewhere keeps
     * its file.
     */
    private static void removeAbandoned(Path directory, String name) {
        Pattern temporary = Pattern.compile("\\." + Pattern.quote(name) + "\\.(?:(\\d+)\\.)?[0-9a-f]+\\.tmp");
        try (DirectoryStream<Path> files = Files.newDirectoryStream(directory, "." + name + ".*.tmp")) {
            for (Path file : files) {
                Matcher m = temporary.matcher(file.getFileName().toString());
                if (!m.matches()) {
                    continue;
                }
                boolean abandoned = m.group(1) != null
                        ? ProcessHandle.of(Long.parseLong(m.group(1))).map(p -> !p.isAlive()).orElse(true)
                        : Files.getLastModifiedTime(file).toMillis() < System.currentTimeMillis() - ABANDONED_MINUTES * 60_000L;
                if (abandoned) {
                    Files.deleteIfExists(file);
                }
            }
        } catch (IOException | RuntimeException cannotClean) {
            // a leftover that cannot be removed does not stop the save
        }
    }

    private static void replace(Path temporary, Path target) throws IOException {
        try {
            Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(temporary, target, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /**
     * Flushes the directory entry of the rename, so the new name survives a power loss too. Some
     * platforms (Windows) cannot open a directory; there the rename is as durable as the OS makes it.
     */
    private static void syncDirectory(Path directory) {
        try (FileChannel channel = FileChannel.open(directory, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException notSupported) {
            // the file itself is already on disk and renamed; only the directory flush is lost
        }
    }

    private static void writeFloats(FileChannel channel, float[] values) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(CHUNK_FLOATS * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        for (int from = 0; from < values.length; from += CHUNK_FLOATS) {
            int n = Math.min(CHUNK_FLOATS, values.length - from);
            buffer.clear();
            buffer.asFloatBuffer().put(values, from, n);
            buffer.limit(n * Float.BYTES);
            write(channel, buffer);
        }
    }

    private static void write(FileChannel channel, ByteBuffer buffer) throws IOException {
        while (buffer.hasRemaining()) {
            channel.write(buffer);
        }
    }
}
