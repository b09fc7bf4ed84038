package dev.kiln.runtime.optim;

/**
 * Multiplies the learning rate by {@code gamma} every {@code stepSize} epochs, as PyTorch's
 * {@code StepLR}: {@code lr = initial * gamma^(epoch / stepSize)}.
 *
 * <pre>{@code
 * new StepDecay(10, 0.1)   // 0.1 for epochs 0-9, 0.01 for 10-19, ...
 * }</pre>
 */
public record StepDecay(int stepSize, double gamma) implements LearningRateSchedule {

    public StepDecay {
        if (stepSize <= 0) {
            throw new IllegalArgumentException("the step size must be > 0 epochs but is " + stepSize);
        }
        if (!(gamma >= 0)) {
            throw new IllegalArgumentException("gamma must be >= 0 but is " + gamma);
        }
    }

    @Override
    public double learningRate(int epoch, double previous, double initial) {
        if (epoch == 0 || epoch % stepSize != 0) {
            return previous;
        }
        return previous * gamma;
    }
}
