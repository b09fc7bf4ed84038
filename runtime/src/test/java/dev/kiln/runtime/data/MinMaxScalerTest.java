package dev.kiln.runtime.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class MinMaxScalerTest {
    /** Feature 0 spans 0..10, feature 1 spans 10..20, feature 2 is constant. */
    private static final Dataset TRAIN = new Dataset(new float[] {0, 10, 7, 5, 20, 7, 10, 10, 7}, new int[] {3}, new float[] {0, 1, 2}, 1);

    @Test
    void fitsPerFeatureRangeOnTheTrainingSet() {
        MinMaxScaler scaler = MinMaxScaler.fit(TRAIN);

        assertArrayEquals(new float[] {0, 10, 7}, scaler.min());
        assertArrayEquals(new float[] {10, 20, 7}, scaler.max());
        assertArrayEquals(new float[] {0, 0, 0, 0.5f, 1, 0, 1, 0, 0}, scaler.apply(TRAIN).features());
    }

    @Test
    void appliesTheTrainingRangeToOtherSetsWithoutClipping() {
        Dataset test = new Dataset(new float[] {20, 15, 8}, new int[] {3}, new float[] {0}, 1);

        float[] scaled = MinMaxScaler.fit(TRAIN).apply(test).features();

        assertArrayEquals(new float[] {2, 0.5f, 1}, scaled);
        assertArrayEquals(new float[] {20, 15, 8}, test.features(), "the input is unchanged");
    }

    @Test
    void rejectsNonFiniteValuesAndWrongWidths() {
        Dataset bad = new Dataset(new float[] {1, Float.NaN}, new int[] {1}, new float[] {0, 0}, 1);

        assertThrows(IllegalArgumentException.class, () -> MinMaxScaler.fit(bad));
        assertThrows(IllegalArgumentException.class, () -> MinMaxScaler.fit(TRAIN).applyInPlace(new float[] {1, 2}));
    }
}
