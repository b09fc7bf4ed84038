package dev.kiln.runtime;

import dev.kiln.annotations.Loss;

/**
 * A network compiled by Kiln. Every generated class implements this; the training loop,
 * optimizers and weight files work through it.
 *
 * <p>Arrays are flat and row-major: a batch of {@code B} inputs is {@code B * inputSize()} floats,
 * sample after sample.
 *
 * <p>A model is not thread-safe: each thread needs its own {@link #replica()}, which shares the
 * weights, has its own buffers and gives the same bits. A call from a second thread while another
 * is inside the model, or while a {@code Trainer.fit} holds it, fails with a
 * {@link ConcurrentModelUseException} rather than computing with half-written buffers; a replica
 * can predict beside a running fit (it sees the weights as they are updated) without changing the
 * training.
 *
 * <p>Training uses three calls per step: {@link #forward} keeps the activations of the batch,
 * {@link #loss} computes the mean loss and its gradient, {@link #backward()} adds the gradient of
 * that loss to {@link Parameters#gradients()} and returns the gradient with respect to the
 * input. Parameter gradients only accumulate; {@link #zeroGrad()} clears them.
 */
public interface Model {

    /** The simple name of the declaring class. */
    String name();

    /** The shape of one input sample, as declared in {@code @Network(input = ...)}. */
    int[] inputShape();

    /** The number of floats in one input sample. */
    int inputSize();

    /** The number of floats in one output sample. */
    int outputSize();

    /** The loss declared in {@code @Network(loss = ...)}. */
    Loss loss();

    /**
     * The number of floats in one sample's target: 1 (the class index) for
     * {@link Loss#SPARSE_SOFTMAX_CROSS_ENTROPY}, else {@link #outputSize()}.
     */
    int targetSize();

    /** The parameters (values and gradients), one flat vector with named tensors. */
    Parameters parameters();

    /**
     * The layers as a table, one line each, as the generated class's javadoc shows it: name, kind,
     * input and output shapes, window, activation and parameter count, then the total and the loss.
     */
    String summary();

    /**
     * Computes the output of one sample without allocating and without touching the training
     * state. For predictions on several threads, give each its own {@link #replica()}.
     *
     * @param input {@link #inputSize()} floats
     * @param output receives {@link #outputSize()} floats
     */
    void predict(float[] input, float[] output);

    /** Computes the output of one sample into a new array. */
    default float[] predict(float[] input) {
        float[] output = new float[outputSize()];
        predict(input, output);
        return output;
    }

    /**
     * Computes the outputs of a batch in inference mode. Reuses the training buffers, so it
     * discards the activations kept by the last {@link #forward}.
     *
     * @param inputs {@code batch * inputSize()} floats
     * @param batch the number of samples
     * @param outputs receives {@code batch * outputSize()} floats
     */
    void predict(float[] inputs, int batch, float[] outputs);

    /**
     * Runs the batch forward in training mode and keeps what backward needs. The input array is
     * referenced, not copied: leave it unchanged until {@link #backward()} returns.
     *
     * @param inputs holds the batch at {@code offset}, {@code batch * inputSize()} floats
     * @return the outputs {@code (batch, outputSize())}; a buffer owned by the model
     */
    float[] forward(float[] inputs, int offset, int batch);

    /**
     * The mean loss of the last {@link #forward} batch against the targets, and prepares its
     * gradient for {@link #backward()}.
     *
     * @param targets holds {@code batch * targetSize()} floats at {@code offset}: class indices
     *     for sparse cross-entropy, else one row of {@link #outputSize()} per sample
     */
    default float loss(float[] targets, int offset) {
        return loss(targets, offset, null);
    }

    /**
     * Like {@link #loss(float[], int)} with a weight per sample, as Keras' {@code sample_weight}:
     * each sample's loss and gradient are multiplied by its weight, and the result is still divided
     * by the batch size. Class weights become sample weights this way.
     *
     * @param sampleWeights {@code batch} weights, or null for weight 1
     */
    float loss(float[] targets, int offset, float[] sampleWeights);

    /**
     * Adds the gradient of the last {@link #loss} to the parameter gradients and returns the
     * gradient of the loss with respect to the input.
     *
     * @return {@code (batch, inputSize())}; a buffer owned by the model
     */
    float[] backward();

    /**
     * Backpropagates a gradient given for the outputs of the last {@link #forward} (for a network
     * whose output feeds another, as in a GAN): adds to the parameter gradients and returns the
     * gradient with respect to the input.
     *
     * @param outputGradient holds {@code (batch, outputSize())} floats at {@code offset}
     */
    float[] backward(float[] outputGradient, int offset);

    /** Like {@link #backward()} but skips the input gradient (what training needs). */
    void backwardParameters();

    /** Sets every parameter gradient to zero. */
    void zeroGrad();

    /**
     * A model of the same network that shares this model's parameter values (not a copy: both see
     * every update) and has its own gradients and buffers, so it can run forward and backward on
     * another thread, as data-parallel training does.
     */
    Model replica();

    /**
     * Holds this model for the calling thread until the claim is closed: calls from any other
     * thread fail with {@link ConcurrentModelUseException}. {@code Trainer} claims the model for
     * each fit, evaluation and prediction; claims and calls of the holding thread nest.
     */
    UseGuard.Claim claim();
}
