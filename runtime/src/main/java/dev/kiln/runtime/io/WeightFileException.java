package dev.kiln.runtime.io;

import java.io.IOException;

/**
 * A weight file that cannot be loaded or saved: missing, not safetensors, corrupt, or holding
 * tensors that do not match the model. The message names the file, the tensor where one is at
 * fault, what was expected and what was found, and how to fix it. A failed load leaves the
 * parameters untouched.
 */
public final class WeightFileException extends IOException {
    private final String file;

    public WeightFileException(String file, String problem) {
        super(file + ": " + problem);
        this.file = file;
    }

    public WeightFileException(String file, String problem, Throwable cause) {
        super(file + ": " + problem, cause);
        this.file = file;
    }

    /** The weight file at fault. */
    public String file() {
        return file;
    }
}
