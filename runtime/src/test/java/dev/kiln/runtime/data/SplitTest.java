package dev.kiln.runtime.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class SplitTest {
    /** Sample i has the single feature i and the target i. */
    private static Dataset numbered(int n) {
        float[] ids = new float[n];
        for (int i = 0; i < n; i++) {
            ids[i] = i;
        }
        return new Dataset(ids, new int[] {1}, ids.clone(), 1);
    }

    @Test
    void holdsOutTheFractionAndKeepsEverySampleExactlyOnce() {
        Split split = Split.of(numbered(100), 0.2, 1);

        assertEquals(80, split.train().size());
        assertEquals(20, split.validation().size());
        float[] all = new float[100];
        System.arraycopy(split.train().features(), 0, all, 0, 80);
        System.arraycopy(split.validation().features(), 0, all, 80, 20);
        Arrays.sort(all);
        assertArrayEquals(numbered(100).features(), all);
        assertArrayEquals(split.train().features(), split.train().targets(), "features stay with their targets");
    }

    @Test
    void sameSeedSameSplitOtherSeedOtherSplit() {
        Split a = Split.of(numbered(50), 0.3, 5);
        Split b = Split.of(numbered(50), 0.3, 5);
        Split c = Split.of(numbered(50), 0.3, 6);

        assertArrayEquals(a.validation().features(), b.validation().features());
        assertFalse(Arrays.equals(a.validation().features(), c.validation().features()));
        float[] tail = {35, 36, 37, 38, 39, 40, 41, 42, 43, 44, 45, 46, 47, 48, 49};
        assertFalse(Arrays.equals(tail, a.validation().features()), "the split is shuffled, not the tail");
    }

    @Test
    void rejectsFractionsOutsideZeroOneAndEmptyParts() {
        assertThrows(IllegalArgumentException.class, () -> Split.of(numbered(10), 0, 1));
        assertThrows(IllegalArgumentException.class, () -> Split.of(numbered(10), 1, 1));
        assertThrows(IllegalArgumentException.class, () -> Split.of(numbered(10), Double.NaN, 1));
        assertThrows(IllegalArgumentException.class, () -> Split.of(numbered(3), 0.1, 1));
    }
}
