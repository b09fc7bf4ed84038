package dev.kiln.runtime.testing;

/**
 * The tag of the tests whose results depend on the vector width: vector against scalar,
 * PyTorch's references, and the bit-for-bit determinism tests. Maven runs them three times, with
 * {@code -Dkiln.vectorBits=128}, {@code 256} and {@code 512} (4, 8 and 16 float lanes; see the
 * surefire executions in the parent pom), so every tail of every width is tested on any machine.
 * The other tests run once, at the CPU's preferred width.
 */
public final class Lanes {
    /** The JUnit tag. */
    public static final String TAG = "lanes";

    private Lanes() {
    }
}
