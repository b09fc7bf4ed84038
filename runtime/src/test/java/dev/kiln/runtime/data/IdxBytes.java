package dev.kiln.runtime.data;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.zip.GZIPOutputStream;

/** Builds small IDX files for tests. */
final class IdxBytes {
    private IdxBytes() {
    }

    /** An IDX file: the magic number, the big-endian dimensions, then the data. */
    static byte[] idx(int magic, int[] dimensions, byte[] data) {
        ByteBuffer buffer = ByteBuffer.allocate(4 + 4 * dimensions.length + data.length);
        buffer.putInt(magic);
        for (int d : dimensions) {
            buffer.putInt(d);
        }
        return buffer.put(data).array();
    }

    static byte[] images(int count, int rows, int cols, byte[] pixels) {
        return idx(0x00000803, new int[] {count, rows, cols}, pixels);
    }

    static byte[] labels(byte... labels) {
        return idx(0x00000801, new int[] {labels.length}, labels);
    }

    static byte[] gzip(byte[] raw) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(raw);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }
}
