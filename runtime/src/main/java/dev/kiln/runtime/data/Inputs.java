package dev.kiln.runtime.data;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;

/** Opens data files, decompressing gzip when the first bytes say so (never by the file name). */
final class Inputs {
    private static final int BUFFER = 1 << 16;

    private Inputs() {
    }

    /** Opens a file for reading, decompressed if it is gzip. */
    static InputStream open(Path file) throws IOException {
        if (!Files.exists(file)) {
            throw new DataFileException(file.toString(), "no such file; check the path (relative paths start at "
                    + Path.of("").toAbsolutePath() + ")");
        }
        if (!Files.isRegularFile(file)) {
            throw new DataFileException(file.toString(), "is not a regular file");
        }
        return decompressIfGzip(Files.newInputStream(file));
    }

    /** The stream itself, or a decompressing view of it if it starts with the gzip magic 1f 8b. */
    static InputStream decompressIfGzip(InputStream in) throws IOException {
        BufferedInputStream buffered = new BufferedInputStream(in, BUFFER);
        buffered.mark(2);
        int b0 = buffered.read();
        int b1 = buffered.read();
        buffered.reset();
        if (b0 == 0x1f && b1 == 0x8b) {
            return new BufferedInputStream(new GZIPInputStream(buffered, BUFFER), BUFFER);
        }
        return buffered;
    }
}
