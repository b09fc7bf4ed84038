package dev.kiln.runtime.train;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * A fixed crew of daemon platform threads that run one task together, again and again, without
 * allocating: {@link #run} wakes the workers, runs part 0 on the calling thread and parts 1 to
 * {@code parts - 1} on the workers (named {@code kiln-train-1}, {@code kiln-train-2}...), and returns
 * once every part is done. A waiting thread spins for up to {@value #SPIN_NANOS} ns, then parks: a
 * training step leaves the workers idle for far less than that, and waking a parked thread costs
 * tens of microseconds, more on a virtual machine, where a parked thread's CPU halts and waking it
 * goes through the hypervisor. (On the 2-core VM of the benchmarks, W2 at batch 128: with 200 µs
 * of spinning the worker started its part of a step 10-80 µs after the caller on average and the
 * hypervisor reported 3-12 % of the CPU time stolen; with 5 ms, 0-3 µs and 0.3-0.6 %, and 1.02-1.29x
 * the samples/s in three alternating pairs. OpenMP runtimes spin longer still by default.) One fit
 * creates the crew, runs it from the thread that created it, and closes it when it ends, also on
 * failure.
 *
 * <p>A part that throws never leaves the others waiting: the run still ends when every part has
 * ended, then throws the lowest failed part's exception in a {@link PartFailure} that names its
 * thread, whose cause carries that thread's stack trace (an {@link Error} is rethrown as it is).
 */
final class WorkerThreads implements AutoCloseable {
    /** How long a waiting thread spins before it parks: several training steps. */
    private static final long SPIN_NANOS = 5_000_000;

    /** One part of the work of a run. */
    interface Task {
        /** @param part 0 on the calling thread, 1 to {@code parts - 1} on the workers */
        void run(int part);
    }

    private final Task task;
    private final Thread caller;
    private final Thread[] workers; // workers[p - 1] runs part p
    private final Throwable[] failures; // (parts) what each part threw in the current run
    private final AtomicInteger generation = new AtomicInteger(); // incremented to start a run and to close
    private final AtomicInteger pending = new AtomicInteger(); // workers still running the current run
    private volatile boolean closed;

    /** Starts {@code parts - 1} workers; the calling thread is the one that will call {@link #run}. */
    WorkerThreads(int parts, Task task) {
        this.task = task;
        this.caller = Thread.currentThread();
        this.workers = new Thread[parts - 1];
        this.failures = new Throwable[parts];
        for (int p = 1; p < parts; p++) {
            int part = p;
            workers[p - 1] = Thread.ofPlatform().name("kiln-train-" + p).daemon().unstarted(() -> work(part));
        }
        int started = 0;
        try {
            for (Thread worker : workers) {
                worker.start();
                started++;
            }
        } catch (RuntimeException | Error e) {
            stop(started);
            throw e;
        }
    }

    /** Runs every part of the task once and returns when all have ended. */
    void run() {
        pending.set(workers.length);
        generation.incrementAndGet();
        for (Thread worker : workers) {
            LockSupport.unpark(worker);
        }
        try {
            task.run(0);
        } catch (Throwable t) {
            failures[0] = t;
        }
        long since = System.nanoTime();
        while (pending.get() != 0) {
            idle(since);
        }
        rethrowFailures();
    }

    /**
     * Rethrows the failure of the lowest part that failed, the others suppressed in it: an Error as
     * it is, anything else in a {@link PartFailure} naming the thread it happened on.
     */
    private void rethrowFailures() {
        RuntimeException first = null;
        Error error = null;
        for (int p = 0; p < failures.length; p++) {
            Throwable failure = failures[p];
            if (failure == null) {
                continue;
            }
            failures[p] = null;
            if (error == null && failure instanceof Error e) {
                error = e;
            } else if (first == null && error == null) {
                first = new PartFailure((p == 0 ? caller : workers[p - 1]).getName(), failure);
            } else {
                (error != null ? error : first).addSuppressed(failure);
            }
        }
        if (error != null) {
            if (first != null) {
                error.addSuppressed(first.getCause());
            }
            throw error;
        }
        if (first != null) {
            throw first;
        }
    }

    /** A part of a run threw: the thread's name and, as the cause, what it threw. */
    static final class PartFailure extends RuntimeException {
        private final String thread;

        PartFailure(String thread, Throwable cause) {
            super("training thread " + thread + " failed: " + cause, cause);
            this.thread = thread;
        }

        String thread() {
            return thread;
        }
    }

    /** The loop of the worker that runs {@code part}. */
    private void work(int part) {
        int seen = 0;
        while (true) {
            long since = System.nanoTime();
            int current;
            while ((current = generation.get()) == seen) {
                idle(since);
            }
            seen = current;
            if (closed) {
                return;
            }
            try {
                task.run(part);
            } catch (Throwable t) {
                failures[part] = t;
            }
            if (pending.decrementAndGet() == 0) {
                LockSupport.unpark(caller);
            }
        }
    }

    /** One turn of a wait that began at {@code since}: a spin, or once waiting is long, a park. */
    private void idle(long since) {
        if (System.nanoTime() - since < SPIN_NANOS) {
            Thread.onSpinWait();
        } else {
            LockSupport.park(this);
        }
    }

    /** Stops the workers and waits until they have ended. */
    @Override
    public void close() {
        stop(workers.length);
    }

    private void stop(int started) {
        closed = true;
        generation.incrementAndGet();
        boolean interrupted = false;
        for (int w = 0; w < started; w++) {
            LockSupport.unpark(workers[w]);
            while (workers[w].isAlive()) {
                try {
                    workers[w].join();
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
