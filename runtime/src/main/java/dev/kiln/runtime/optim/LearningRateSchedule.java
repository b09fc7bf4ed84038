package dev.kiln.runtime.optim;

/**
 * Sets the learning rate at the start of each epoch, as PyTorch's {@code lr_scheduler}s stepped
 * once per epoch. Implementations follow PyTorch's recursive ("chained") form, which computes each
 * rate from the previous one, in double.
 */
public interface LearningRateSchedule {

    /**
     * The learning rate for an epoch.
     *
     * @param epoch the epoch about to start, from 0
     * @param previous the rate of the previous epoch; the initial rate when {@code epoch} is 0
     * @param initial the rate the optimizer had when training started
     */
    double learningRate(int epoch, double previous, double initial);
}
