package dev.kiln.runtime;

/**
 * How much heap the JVM can still allocate, so that loaders can refuse a file that would not fit
 * with a clear error instead of an {@link OutOfMemoryError} halfway through.
 */
public final class Heap {
    private Heap() {
    }

    /** The bytes the heap can still grow by: the maximum heap less what is in use now (garbage included, so a lower bound after a collection). */
    public static long free() {
        Runtime runtime = Runtime.getRuntime();
        return runtime.maxMemory() - (runtime.totalMemory() - runtime.freeMemory());
    }

    /**
     * Whether {@code bytes} more fit in the heap, after a collection if they do not at first sight.
     * Loaders ask before allocating for what a file declares.
     */
    public static boolean fits(long bytes) {
        if (bytes <= free()) {
            return true;
        }
        System.gc();
        return bytes <= free();
    }

    /** {@code 1.5 GB}, {@code 300 MB}, {@code 12 KB}: a size for a message. */
    public static String describe(long bytes) {
        if (bytes >= 1L << 30) {
            return String.format(java.util.Locale.ROOT, "%.1f GB", bytes / (double) (1L << 30));
        }
        if (bytes >= 1L << 20) {
            return (bytes >> 20) + " MB";
        }
        return (bytes >> 10) + " KB";
    }
}
