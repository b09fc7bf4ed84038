package dev.kiln.runtime.data;

import dev.kiln.runtime.SeededRandom;

/** Seeded shuffles: the same seed gives the same order on every JVM. */
public final class Shuffle {
    private Shuffle() {
    }

    /** A random permutation of {@code 0 .. n-1} (Fisher-Yates with {@link SeededRandom}). */
    public static int[] permutation(int n, long seed) {
        if (n < 0) {
            throw new IllegalArgumentException("cannot permute " + n + " elements");
        }
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        SeededRandom random = new SeededRandom(seed);
        for (int i = n - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        return order;
    }

    /** A new dataset with the samples in a random order; each feature row keeps its target. */
    public static Dataset shuffle(Dataset data, long seed) {
        return data.select(permutation(data.size(), seed));
    }
}
