package dev.kiln.runtime;

/**
 * A small deterministic random number generator (SplitMix64): the same seed gives the same
 * numbers on every JVM, which makes initial weights and shuffles reproducible.
 */
public final class SeededRandom {
    private long state;

    public SeededRandom(long seed) {
        this.state = seed;
    }

    public long nextLong() {
        long z = (state += 0x9E3779B97F4A7C15L);
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** A float uniformly distributed in [0, 1), from 24 random bits. */
    public float nextFloat() {
        return (nextLong() >>> 40) * 0x1.0p-24f;
    }

    /** An int uniformly distributed in [0, bound). */
    public int nextInt(int bound) {
        if (bound <= 0) {
            throw new IllegalArgumentException("bound " + bound + " is not positive");
        }
        return (int) (((nextLong() >>> 33) * bound) >>> 31);
    }

    /** A standard normal sample (Box-Muller, one of the pair). */
    public double nextGaussian() {
        double u1 = (nextLong() >>> 11) * 0x1.0p-53;
        double u2 = (nextLong() >>> 11) * 0x1.0p-53;
        return Math.sqrt(-2 * Math.log(1 - u1)) * Math.cos(2 * Math.PI * u2);
    }
}
