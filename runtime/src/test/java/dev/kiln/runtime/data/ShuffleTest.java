package dev.kiln.runtime.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.Arrays;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class ShuffleTest {
    @Test
    void permutationHoldsEachIndexOnceAndDependsOnlyOnTheSeed() {
        int[] p = Shuffle.permutation(100, 7);

        assertArrayEquals(IntStream.range(0, 100).toArray(), Arrays.stream(p).sorted().toArray());
        assertArrayEquals(p, Shuffle.permutation(100, 7));
        assertFalse(Arrays.equals(p, Shuffle.permutation(100, 8)));
        assertFalse(Arrays.equals(p, IntStream.range(0, 100).toArray()));
    }

    @Test
    void permutationIsPinnedSoRunsStayReproducibleAcrossVersions() {
        assertArrayEquals(new int[] {8, 3, 6, 5, 4, 0, 9, 2, 1, 7}, Shuffle.permutation(10, 42));
    }

    @Test
    void shuffleKeepsEachFeatureRowWithItsTarget() {
        float[] x = new float[20];
        float[] y = new float[10];
        for (int i = 0; i < 10; i++) {
            x[2 * i] = i;
            x[2 * i + 1] = 1000 + i;
            y[i] = 100 + i;
        }

        Dataset shuffled = Shuffle.shuffle(new Dataset(x, new int[] {2}, y, 1), 3);

        for (int i = 0; i < 10; i++) {
            float id = shuffled.features()[2 * i];
            assertEquals(1000 + id, shuffled.features()[2 * i + 1]);
            assertEquals(100 + id, shuffled.targets()[i]);
        }
        assertFalse(Arrays.equals(x, shuffled.features()));
    }
}
