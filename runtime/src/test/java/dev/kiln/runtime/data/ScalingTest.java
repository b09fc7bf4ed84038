package dev.kiln.runtime.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class ScalingTest {
    @Test
    void dividesFeaturesIntoANewArrayAndKeepsTargets() {
        Dataset pixels = new Dataset(new float[] {0, 51, 255, 102}, new int[] {2}, new float[] {1, 0}, 1);

        Dataset scaled = Scaling.divide(pixels, 255);

        assertArrayEquals(new float[] {0, 0.2f, 1, 0.4f}, scaled.features());
        assertArrayEquals(new float[] {0, 51, 255, 102}, pixels.features(), "the input is unchanged");
        assertSame(pixels.targets(), scaled.targets());
        assertArrayEquals(new int[] {2}, scaled.featureShape());
    }

    @Test
    void rejectsZeroAndNonFiniteDivisors() {
        Dataset data = new Dataset(new float[] {1}, new int[] {1}, new float[] {0}, 1);

        assertThrows(IllegalArgumentException.class, () -> Scaling.divide(data, 0));
        assertThrows(IllegalArgumentException.class, () -> Scaling.divide(data, Float.NaN));
    }
}
