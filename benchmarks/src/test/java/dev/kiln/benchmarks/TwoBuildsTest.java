package dev.kiln.benchmarks;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.kiln.benchmarks.TwoBuilds.Run;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The bookkeeping of {@link TwoBuilds}; no timing. */
class TwoBuildsTest {
    private static final List<Run> RUNS = List.of(new Run("A", 2), new Run("B", 2), new Run("A", 1), new Run("B", 1));

    @Test
    void eachRunGoesFirstOnceEveryFourRounds() {
        assertEquals(RUNS, TwoBuilds.order(0, RUNS));
        assertEquals(List.of(RUNS.get(1), RUNS.get(2), RUNS.get(3), RUNS.get(0)), TwoBuilds.order(1, RUNS));
        assertEquals(List.of(RUNS.get(3), RUNS.get(0), RUNS.get(1), RUNS.get(2)), TwoBuilds.order(7, RUNS));
    }

    @Test
    void ratiosAreTakenWithinARoundThenTheirMedian() {
        // B is 10 % faster in every round while the machine's speed moves 2x between rounds.
        double[] a = {100, 200, 100};
        double[] b = {110, 220, 110};
        assertEquals(1.1, TwoBuilds.medianRatio(b, a), 1e-12);
        assertEquals(3, TwoBuilds.wins(b, a));
        assertEquals(0, TwoBuilds.wins(a, b));
        assertEquals(2.5, TwoBuilds.median(new double[] {4, 1, 3, 2}), 0);
    }

    @Test
    void theSummaryNamesBothComparisonsAndTheSpeedUps() {
        double[][] rates = {{200, 400, 200}, {220, 440, 180}, {100, 200, 100}, {100, 210, 100}};
        assertEquals("""
                B / A on 2 threads: 1.100 (median of 3 rounds; B faster in 2), medians 220 vs 200 samples/s
                B / A on 1 thread: 1.000 (median of 3 rounds; B faster in 1), medians 100 vs 100 samples/s
                2 threads / 1 thread: A 2.000, B 2.095 (medians of the rounds' ratios)
                """, TwoBuilds.summary(RUNS, rates));
    }
}
