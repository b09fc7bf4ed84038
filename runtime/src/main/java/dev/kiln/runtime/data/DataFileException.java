package dev.kiln.runtime.data;

import java.io.IOException;

/**
 * A data file that cannot be read as asked: missing, malformed, truncated, or holding values
 * outside what the loader accepts. The message names the file (and the line and column for a
 * text file), says what was expected and what was found, and how to fix it.
 */
public final class DataFileException extends IOException {
    private final String source;

    public DataFileException(String source, String problem) {
        super(source + ": " + problem);
        this.source = source;
    }

    public DataFileException(String source, String problem, Throwable cause) {
        super(source + ": " + problem, cause);
        this.source = source;
    }

    /** The file (or stream name) that could not be read. */
    public String source() {
        return source;
    }
}
