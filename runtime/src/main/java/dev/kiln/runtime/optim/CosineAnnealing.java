package dev.kiln.runtime.optim;

/**
 * Anneals the learning rate from its initial value to {@code minLearningRate} along half a cosine
 * over {@code maxEpochs} epochs, then back up, as PyTorch's {@code CosineAnnealingLR(T_max,
 * eta_min)}: {@code lr = min + (initial - min) * (1 + cos(pi * epoch / maxEpochs)) / 2}.
 *
 * <pre>{@code
 * new CosineAnnealing(50, 1e-5)
 * }</pre>
 */
public record CosineAnnealing(int maxEpochs, double minLearningRate) implements LearningRateSchedule {

    public CosineAnnealing {
        if (maxEpochs <= 0) {
            throw new IllegalArgumentException("maxEpochs (T_max) must be > 0 but is " + maxEpochs);
        }
        if (!(minLearningRate >= 0)) {
            throw new IllegalArgumentException("the minimum learning rate must be >= 0 but is " + minLearningRate);
        }
    }

    @Override
    public double learningRate(int epoch, double previous, double initial) {
        if (epoch == 0) {
            return previous;
        }
        if (Math.floorMod(epoch - 1 - maxEpochs, 2 * maxEpochs) == 0) {
            return previous + (initial - minLearningRate) * (1 - Math.cos(Math.PI / maxEpochs)) / 2;
        }
        return (1 + Math.cos(Math.PI * epoch / maxEpochs)) / (1 + Math.cos(Math.PI * (epoch - 1) / maxEpochs))
                * (previous - minLearningRate) + minLearningRate;
    }
}
