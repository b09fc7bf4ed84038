package dev.kiln.runtime;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * Detects a model used by two threads at once. Every generated model calls {@link #enter} at the
 * start of each method that touches its buffers and {@link #exit} at the end: a call from a second
 * thread while the first is inside fails at once with a {@link ConcurrentModelUseException},
 * instead of both computing with each other's half-written buffers. Calls from the owning thread
 * nest, and {@link #claim} holds the model across many calls, as {@code Trainer.fit} does for the
 * whole fit. One compare-and-set per call; nothing is allocated.
 */
public final class UseGuard {
    private static final VarHandle OWNER;

    static {
        try {
            OWNER = MethodHandles.lookup().findVarHandle(UseGuard.class, "owner", Thread.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private static final String CLAIM = "claim";

    private final String model;
    @SuppressWarnings("unused") // through OWNER
    private volatile Thread owner;
    /** Entries of the owning thread not yet exited; touched by the owner only. */
    private int depth;
    /** What the owner is doing, for the message: the first method it entered. */
    private String doing;

    /** @param model the model's name, for messages */
    public UseGuard(String model) {
        this.model = model;
    }

    /**
     * Enters {@code method} (its name, such as {@code predict}) on the calling thread.
     *
     * @throws ConcurrentModelUseException if another thread is inside the model
     */
    public void enter(String method) {
        Thread thread = Thread.currentThread();
        if (owner == thread) {
            depth++;
            return;
        }
        if (!OWNER.compareAndSet(this, null, thread)) {
            Thread other = owner;
            String busy = doing.equals(CLAIM) ? "holds it (Trainer.fit, evaluate and predict hold the model they run)" : "is in " + doing + "()";
            throw new ConcurrentModelUseException(model + "." + method + "() was called on thread '" + thread.getName() + "' while thread '"
                    + (other == null ? "?" : other.getName()) + "' " + busy + ". A model is not thread-safe: give each thread its own "
                    + "model.replica(), which shares the weights, has its own buffers and computes the same bits");
        }
        depth = 1;
        doing = method;
    }

    /** Leaves the method entered last. */
    public void exit() {
        if (--depth == 0) {
            OWNER.setRelease(this, null);
        }
    }

    /** Holds the model for the calling thread until the claim is closed; claims nest with calls. */
    public Claim claim() {
        enter(CLAIM);
        return new Claim(this);
    }

    /** A hold on a model, released by {@link #close()} (once; later closes do nothing). */
    public static final class Claim implements AutoCloseable {
        private UseGuard guard;

        private Claim(UseGuard guard) {
            this.guard = guard;
        }

        @Override
        public void close() {
            if (guard != null) {
                guard.exit();
                guard = null;
            }
        }
    }
}
