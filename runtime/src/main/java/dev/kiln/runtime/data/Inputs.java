package dev.kiln.runtime.data;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * Opens data files, decompressing gzip when the first bytes say so (never by the file name). A
 * gzip stream that is corrupt or ends early fails with a {@link DataFileException} naming the
 * file, wherever in the stream the damage is.
 */
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
        InputStream in = Files.newInputStream(file);
        try {
            return decompressIfGzip(in, file.toString());
        } catch (IOException | RuntimeException e) {
            in.close();
            throw e;
        }
    }

    /** The stream itself, or a decompressing view of it if it starts with the gzip magic 1f 8b. */
    static InputStream decompressIfGzip(InputStream in, String source) throws IOException {
        BufferedInputStream buffered = new BufferedInputStream(in, BUFFER);
        buffered.mark(2);
        int b0 = buffered.read();
        int b1 = buffered.read();
        buffered.reset();
        if (b0 == 0x1f && b1 == 0x8b) {
            try {
                return new BufferedInputStream(new Gzip(new GZIPInputStream(buffered, BUFFER), source), BUFFER);
            } catch (ZipException | EOFException e) {
                throw corrupt(source, e);
            }
        }
        return buffered;
    }

    private static DataFileException corrupt(String source, IOException e) {
        return new DataFileException(source, "the gzip data is corrupt or ends early (" + (e.getMessage() == null ? e.getClass().getSimpleName()
                : e.getMessage()) + "); the file is damaged or truncated: download or decompress it again", e);
    }

    /** Turns the decompressor's ZipException and EOFException into a DataFileException naming the file. */
    private static final class Gzip extends FilterInputStream {
        private final String source;

        Gzip(InputStream in, String source) {
            super(in);
            this.source = source;
        }

        @Override
        public int read() throws IOException {
            try {
                return super.read();
            } catch (ZipException | EOFException e) {
                throw corrupt(source, e);
            }
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            try {
                return super.read(b, off, len);
            } catch (ZipException | EOFException e) {
                throw corrupt(source, e);
            }
        }
    }
}
