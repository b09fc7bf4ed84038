package dev.kiln.runtime;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class NonzeroInputsTest {

    /** Every length from 0 to 13 (each tail after the 4-input steps), at an offset, with every pattern of zeros seen. */
    @ParameterizedTest
    @ValueSource(ints = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 784})
    void listsTheIndicesOfTheInputsThatAreNotZeroInOrder(int n) {
        SplittableRandom random = new SplittableRandom(n);
        for (int trial = 0; trial < 200; trial++) {
            int from = random.nextInt(5);
            float[] x = new float[from + n + 3];
            for (int i = 0; i < x.length; i++) {
                x[i] = switch (random.nextInt(4)) {
                    case 0 -> 0f;
                    case 1 -> -0f;
                    case 2 -> Float.NaN;
                    default -> (float) random.nextDouble(-1, 1);
                };
            }
            int[] expected = new int[n];
            int count = 0;
            for (int i = 0; i < n; i++) {
                if (x[from + i] != 0f) {
                    expected[count++] = i;
                }
            }
            int[] nonzero = new int[n];
            int listed = NonzeroInputs.list(x, from, n, nonzero);
            assertArrayEquals(Arrays.copyOf(expected, count), Arrays.copyOf(nonzero, listed), "n " + n + ", from " + from);
        }
    }
}
