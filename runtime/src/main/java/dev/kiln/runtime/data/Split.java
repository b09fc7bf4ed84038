package dev.kiln.runtime.data;

import java.util.Arrays;

/** A dataset split in two disjoint parts: one to train on, one to validate with. */
public record Split(Dataset train, Dataset validation) {

    /**
     * Shuffles the samples with the seed, then holds out {@code round(size * validationFraction)}
     * of them for validation. Every sample lands in exactly one part; the same seed gives the
     * same split. Both parts are new datasets in shuffled order.
     *
     * @param validationFraction strictly between 0 and 1, such as 0.1
     * @throws IllegalArgumentException if a part would be empty
     */
    public static Split of(Dataset data, double validationFraction, long seed) {
        if (!(validationFraction > 0 && validationFraction < 1)) {
            throw new IllegalArgumentException("validation fraction " + validationFraction + " is not strictly between 0 and 1");
        }
        int n = data.size();
        int held = (int) Math.round(n * validationFraction);
        if (held == 0 || held == n) {
            throw new IllegalArgumentException("a validation fraction of " + validationFraction + " of " + n + " samples leaves "
                    + (held == 0 ? "the validation" : "the training") + " set empty; use a larger dataset or another fraction");
        }
        int[] order = Shuffle.permutation(n, seed);
        return new Split(data.select(Arrays.copyOfRange(order, 0, n - held)), data.select(Arrays.copyOfRange(order, n - held, n)));
    }
}
