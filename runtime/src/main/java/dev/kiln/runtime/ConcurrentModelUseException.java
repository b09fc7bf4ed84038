package dev.kiln.runtime;

/**
 * A model was called from a thread while another thread was inside it (or held it, as a running
 * {@code Trainer.fit} does). Models are not thread-safe; give each thread its own
 * {@link Model#replica()}.
 */
public final class ConcurrentModelUseException extends IllegalStateException {
    public ConcurrentModelUseException(String message) {
        super(message);
    }
}
