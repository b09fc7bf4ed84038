package dev.kiln.runtime.train;

import java.util.List;

/**
 * What one epoch of {@link Trainer#fit} measured. Metrics that were not computed are NaN: the
 * validation ones without validation data, the accuracies for an MSE model.
 *
 * @param epoch the epoch, from 1
 * @param loss the mean training loss over the epoch's samples (weighted by class weights, if any)
 * @param accuracy the training accuracy, measured on each batch before its update
 * @param valLoss the loss on the validation data after the epoch
 * @param valAccuracy the accuracy on the validation data after the epoch
 * @param samplesPerSecond training samples per second of the epoch's training phase
 * @param learningRate the learning rate used during the epoch
 */
public record EpochMetrics(int epoch, double loss, double accuracy, double valLoss, double valAccuracy,
        double samplesPerSecond, double learningRate) {

    /** The names {@link #get} and {@link EarlyStopping} accept, as Keras spells them. */
    public static final List<String> NAMES =
            List.of("loss", "accuracy", "val_loss", "val_accuracy", "samples_per_second", "learning_rate");

    /** The metric with a Keras name: {@code loss}, {@code val_loss}, {@code val_accuracy}, ... */
    public double get(String name) {
        return switch (name) {
            case "loss" -> loss;
            case "accuracy" -> accuracy;
            case "val_loss" -> valLoss;
            case "val_accuracy" -> valAccuracy;
            case "samples_per_second" -> samplesPerSecond;
            case "learning_rate" -> learningRate;
            default -> throw new IllegalArgumentException("no metric named '" + name + "'; the metrics are " + NAMES);
        };
    }
}
