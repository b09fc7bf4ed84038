package dev.kiln.runtime.io;

import dev.kiln.runtime.ParameterTensor;
import dev.kiln.runtime.Parameters;
import java.util.Arrays;

/**
 * What loading and saving do with NaN and infinite parameter values. Weights like that come from
 * a training that diverged; a model loaded with them predicts NaN.
 */
public enum NonFiniteValues {
    /** Refuse the file, naming the tensor and the first such value (the default). */
    REJECT,
    /** Load or save them as they are, to inspect a diverged model. */
    ALLOW;

    /**
     * The first non-finite value of {@code values} (laid out as {@link Parameters#pytorchValues()}),
     * as {@code tensor 'fc.weight' holds NaN at (3, 7), and 12 more values are not finite}; null if
     * every value is finite.
     */
    static String describeFirst(Parameters parameters, float[] values) {
        for (ParameterTensor t : parameters.tensors()) {
            for (int i = t.offset(); i < t.offset() + t.size(); i++) {
                if (!Float.isFinite(values[i])) {
                    int more = 0;
                    for (int j = i + 1; j < values.length; j++) {
                        more += Float.isFinite(values[j]) ? 0 : 1;
                    }
                    return "tensor '" + t.name() + "' holds " + values[i] + " at " + index(t.shape(), i - t.offset())
                            + (more == 0 ? "" : String.format(java.util.Locale.ROOT, ", and %,d more values are not finite", more));
                }
            }
        }
        return null;
    }

    /** The row-major index {@code flat} of a tensor of this shape, as {@code (3, 7)}. */
    private static String index(int[] shape, int flat) {
        int[] at = new int[shape.length];
        for (int d = shape.length - 1; d >= 0; d--) {
            at[d] = flat % shape[d];
            flat /= shape[d];
        }
        return Arrays.toString(at).replace('[', '(').replace(']', ')');
    }
}
