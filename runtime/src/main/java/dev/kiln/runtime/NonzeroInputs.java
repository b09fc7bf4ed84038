package dev.kiln.runtime;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Lists the inputs of one row that are not zero, for the single-row forward of the Dense layers'
 * vector kernels, which then read only those inputs' rows of W^T. One class for every generated
 * model, loaded only when a model runs its vector kernels.
 *
 * <p>It looks at 4 inputs at a time whatever the preferred vector length (128-bit vectors exist on
 * every platform with the Vector API): one compare gives a mask of 4 bits, and that mask's row of a
 * 16 x 4 table, plus the inputs' first index, is the list of their nonzero indices, stored at the end
 * of the list in one vector store, without a branch per input.
 */
public final class NonzeroInputs {
    /** 4 float lanes, on every platform: the inputs that {@link #list} compares at once. */
    private static final VectorSpecies<Float> QUAD = FloatVector.SPECIES_128;
    private static final VectorSpecies<Integer> QUAD_INDICES = IntVector.SPECIES_128;
    /** For each mask of 4 lanes, row mask: the lanes that are set, in order; the rest of the row is 0. */
    private static final int[] QUAD_LANES = quadLanes();

    private NonzeroInputs() {
    }

    /**
     * Lists in {@code nonzero}, in order, the indices {@code i < n} whose {@code x[from + i]} is not
     * zero, and returns how many there are. Each store writes 4 indices at the end of the list,
     * {@code count <= i} of them listed so far, so it stays within the first {@code n} entries; the
     * lanes past the inputs that are not zero are overwritten by the next store.
     *
     * @param nonzero at least {@code n} entries
     */
    public static int list(float[] x, int from, int n, int[] nonzero) {
        int count = 0;
        int i = 0;
        for (; i + 4 <= n; i += 4) {
            int mask = (int) FloatVector.fromArray(QUAD, x, from + i).compare(VectorOperators.NE, 0f).toLong();
            IntVector.fromArray(QUAD_INDICES, QUAD_LANES, mask * 4).add(i).intoArray(nonzero, count);
            count += Integer.bitCount(mask);
        }
        for (; i < n; i++) {
            nonzero[count] = i;
            count += x[from + i] != 0f ? 1 : 0;
        }
        return count;
    }

    /** The table QUAD_LANES: row mask lists the set bits of mask, lowest first. */
    private static int[] quadLanes() {
        int[] lanes = new int[16 * 4];
        for (int mask = 0; mask < 16; mask++) {
            int count = 0;
            for (int lane = 0; lane < 4; lane++) {
                if ((mask & 1 << lane) != 0) {
                    lanes[mask * 4 + count++] = lane;
                }
            }
        }
        return lanes;
    }
}
