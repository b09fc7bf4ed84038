package dev.kiln.runtime.optim;

import dev.kiln.runtime.Kernels;
import dev.kiln.runtime.ParameterTensor;
import dev.kiln.runtime.Parameters;
import java.util.List;

/**
 * Clips gradients by their global L2 norm, as {@code torch.nn.utils.clip_grad_norm_}: the norm of
 * the per-tensor norms is computed, and when it exceeds {@code maxNorm} every gradient is scaled by
 * {@code maxNorm / (norm + 1e-6)}. Call it between the backward pass and the optimizer step.
 *
 * <pre>{@code
 * GradientNormClipping clipping = new GradientNormClipping(1.0);
 * float norm = clipping.clip(model.parameters());   // the norm before clipping
 * }</pre>
 */
public final class GradientNormClipping {
    private final double maxNorm;
    private Parameters tensorsOf;
    private int[] ends; // where each tensor of tensorsOf ends in the flat vector
    private boolean vectorized = Kernels.vectorized();

    public GradientNormClipping(double maxNorm) {
        if (!(maxNorm > 0)) {
            throw new IllegalArgumentException("the maximum gradient norm must be > 0 but is " + maxNorm);
        }
        this.maxNorm = maxNorm;
    }

    public double maxNorm() {
        return maxNorm;
    }

    /** Forces the vector or the scalar kernel, for tests that compare the two. */
    GradientNormClipping kernels(Kernels.Kind kind) {
        this.vectorized = kind == Kernels.Kind.VECTOR;
        return this;
    }

    /**
     * Scales {@code parameters.gradients()} down to a global norm of at most {@link #maxNorm()}.
     *
     * @return the global L2 norm of the gradients before clipping; NaN or infinite when a gradient
     *     is (the gradients then become NaN, as in PyTorch)
     */
    public float clip(Parameters parameters) {
        float[] g = parameters.gradients();
        int[] bounds = ends(parameters);
        double sumOfNorms = 0;
        int start = 0;
        for (int end : bounds) {
            double squares = vectorized ? GradientNormClippingVector.sumOfSquares(g, start, end) : sumOfSquares(g, start, end);
            float norm = (float) Math.sqrt(squares);
            sumOfNorms += (double) norm * norm;
            start = end;
        }
        float total = (float) Math.sqrt(sumOfNorms);
        float coefficient = Math.min(1f / (total + 1e-6f) * (float) maxNorm, 1f);
        if (coefficient != 1f) {
            if (vectorized) {
                GradientNormClippingVector.scale(g, 0, g.length, coefficient);
            } else {
                scale(g, 0, g.length, coefficient);
            }
        }
        return total;
    }

    private int[] ends(Parameters parameters) {
        if (parameters != tensorsOf) {
            List<ParameterTensor> tensors = parameters.tensors();
            ends = new int[tensors.size()];
            for (int t = 0; t < ends.length; t++) {
                ends[t] = tensors.get(t).offset() + tensors.get(t).size();
            }
            tensorsOf = parameters;
        }
        return ends;
    }

    /** The sum of {@code g[i]^2} over {@code [from, to)}, accumulated in double. */
    static double sumOfSquares(float[] g, int from, int to) {
        double sum = 0;
        for (int i = from; i < to; i++) {
            sum += (double) g[i] * g[i];
        }
        return sum;
    }

    /** Multiplies {@code g[from, to)} by {@code factor}. */
    static void scale(float[] g, int from, int to, float factor) {
        for (int i = from; i < to; i++) {
            g[i] *= factor;
        }
    }
}
