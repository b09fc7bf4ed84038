package dev.kiln.runtime.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class StandardizerTest {
    /** Feature 0 is 1, 2, 3, 4 (mean 2.5, population std sqrt(1.25)); feature 1 is constant 5. */
    private static final Dataset TRAIN = new Dataset(new float[] {1, 5, 2, 5, 3, 5, 4, 5}, new int[] {2}, new float[] {0, 1, 0, 1}, 1);

    @Test
    void fitsMeanAndPopulationStdPerFeature() {
        Standardizer s = Standardizer.fit(TRAIN);

        assertArrayEquals(new float[] {2.5f, 5}, s.mean());
        assertArrayEquals(new float[] {(float) Math.sqrt(1.25), 1}, s.std(), "a constant feature keeps std 1");
    }

    @Test
    void standardizedTrainingSetHasMeanZeroAndStdOne() {
        float[] x = Standardizer.fit(TRAIN).apply(TRAIN).features();

        double sum = 0;
        double squares = 0;
        for (int i = 0; i < x.length; i += 2) {
            sum += x[i];
            squares += x[i] * x[i];
            assertEquals(0, x[i + 1], "a constant feature is only centred");
        }
        assertEquals(0, sum / 4, 1e-6);
        assertEquals(1, squares / 4, 1e-6);
    }

    @Test
    void otherSetsUseTheTrainingStatistics() {
        Dataset test = new Dataset(new float[] {2.5f, 6, 10, 5}, new int[] {2}, new float[] {0, 0}, 1);

        float[] x = Standardizer.fit(TRAIN).apply(test).features();

        assertArrayEquals(new float[] {0, 1, (float) (7.5 / Math.sqrt(1.25)), 0}, x, 1e-6f);
    }

    @Test
    void rejectsEmptyAndNonFiniteTrainingSets() {
        Dataset empty = new Dataset(new float[0], new int[] {2}, new float[0], 1);
        Dataset infinite = new Dataset(new float[] {Float.POSITIVE_INFINITY}, new int[] {1}, new float[] {0}, 1);

        assertThrows(IllegalArgumentException.class, () -> Standardizer.fit(empty));
        assertThrows(IllegalArgumentException.class, () -> Standardizer.fit(infinite));
    }
}
