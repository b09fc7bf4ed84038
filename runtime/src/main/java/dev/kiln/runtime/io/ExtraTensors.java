package dev.kiln.runtime.io;

/** What loading does with tensors in the file that the model does not have. */
public enum ExtraTensors {
    /** Fail, naming them: the file and the model disagree (the default). */
    REJECT,
    /** Skip them, as PyTorch's {@code load_state_dict(strict=False)} does for unexpected keys. */
    IGNORE
}
