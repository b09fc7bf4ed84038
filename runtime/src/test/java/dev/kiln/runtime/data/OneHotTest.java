package dev.kiln.runtime.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class OneHotTest {
    @Test
    void encodesEachClassIndexAsARow() {
        Dataset data = new Dataset(new float[] {10, 11, 12}, new int[] {1}, new float[] {2, 0, 1}, 1);

        Dataset encoded = OneHot.encode(data, 3);

        assertEquals(3, encoded.targetSize());
        assertArrayEquals(new float[] {0, 0, 1, 1, 0, 0, 0, 1, 0}, encoded.targets());
        assertArrayEquals(new float[] {10, 11, 12}, encoded.features());
    }

    @Test
    void rejectsTargetsThatAreNotClassIndicesInRange() {
        Dataset fraction = new Dataset(new float[] {0}, new int[] {1}, new float[] {1.5f}, 1);
        Dataset tooLarge = new Dataset(new float[] {0}, new int[] {1}, new float[] {3}, 1);
        Dataset wide = new Dataset(new float[] {0}, new int[] {1}, new float[] {0, 1}, 2);

        assertThrows(IllegalArgumentException.class, () -> OneHot.encode(fraction, 3));
        String message = assertThrows(IllegalArgumentException.class, () -> OneHot.encode(tooLarge, 3)).getMessage();
        assertTrue(message.contains("target of sample 0 is 3.0, not a class index in 0..2"), message);
        assertThrows(IllegalArgumentException.class, () -> OneHot.encode(wide, 3));
    }
}
