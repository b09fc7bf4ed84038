package dev.kiln.processor;

import static dev.kiln.processor.Diagnostics.check;

import org.junit.jupiter.api.Test;

/**
 * More attribute and shape mistakes, one error each on the exact value, beside those of
 * {@link DiagnosticsTest}: every attribute of every layer kind out of its range at least once.
 */
class AttributeDiagnosticsTest {

    @Test
    void negativeUnits() {
        check("Minus", "[UnitsNotPositive] 'out' declares units = -5, but a Dense layer needs at least 1 unit.",
                3, "-5",
                "@Network(input = 4, loss = Loss.MSE)",
                "abstract class Minus {",
                "    @Dense(units = -5) Layer out;",
                "}");
    }

    @Test
    void unitsTooLargeForAnArray() {
        check("Vast", "[TooLarge] 'out' needs 4,294,967,294 floats for its weight, more than the 2,147,483,647 a Java array holds",
                3, "2147483647",
                "@Network(input = 2, loss = Loss.MSE)",
                "abstract class Vast {",
                "    @Dense(units = 2147483647) Layer out;",
                "}");
    }

    @Test
    void denseOnATwoDimensionalInput() {
        check("Grid", "[NeedsFlatInput] 'out' is Dense and needs a flat input, but input (28, 28) gives it shape (28, 28). "
                        + "Add '@Flatten Layer flatten;' before 'out' to flatten it to (784), or declare the input flat: input = 784.",
                3, "@Dense",
                "@Network(input = {28, 28}, loss = Loss.MSE)",
                "abstract class Grid {",
                "    @Dense(units = 1) Layer out;",
                "}");
    }

    @Test
    void zeroInTheMiddleOfTheInput() {
        check("Hollow", "[InputNotPositive] input = {28, 0, 1} has 0 at position 1, but every dimension must be at least 1.",
                1, "0,",
                "@Network(input = {28, 0, 1}, loss = Loss.MSE)",
                "abstract class Hollow {",
                "    @Flatten Layer flat;",
                "    @Dense(units = 1) Layer out;",
                "}");
    }

    @Test
    void negativeFilters() {
        check("Minus", "[FiltersNotPositive] 'conv' declares filters = -8, but a Conv2D layer needs at least 1 filter.",
                3, "-8",
                "@Network(input = {8, 8, 1}, loss = Loss.MSE)",
                "abstract class Minus {",
                "    @Conv2D(filters = -8, kernel = 3) Layer conv;",
                "    @Flatten Layer flat;",
                "    @Dense(units = 1) Layer out;",
                "}");
    }

    @Test
    void emptyKernel() {
        check("NoKernel", "[WindowDimensions] 'conv' declares kernel = {}, but it takes {height, width} or one number for both. "
                        + "Write, for example, kernel = 3 or kernel = {3, 5}.",
                3, "{}",
                "@Network(input = {8, 8, 1}, loss = Loss.MSE)",
                "abstract class NoKernel {",
                "    @Conv2D(filters = 4, kernel = {}) Layer conv;",
                "    @Flatten Layer flat;",
                "    @Dense(units = 1) Layer out;",
                "}");
    }

    @Test
    void zeroKernel() {
        check("Point", "[WindowNotPositive] 'conv' declares kernel = 0, but each side of a kernel must be at least 1.",
                3, "0",
                "@Network(input = {8, 8, 1}, loss = Loss.MSE)",
                "abstract class Point {",
                "    @Conv2D(filters = 4, kernel = 0) Layer conv;",
                "    @Flatten Layer flat;",
                "    @Dense(units = 1) Layer out;",
                "}");
    }

    @Test
    void strideWithThreeSides() {
        check("Stride3", "[WindowDimensions] 'conv' declares stride = {2, 2, 2}, but it takes {height, width} or one number for both. "
                        + "Write, for example, stride = 2 or stride = {2, 4}.",
                3, "{2, 2, 2}",
                "@Network(input = {8, 8, 1}, loss = Loss.MSE)",
                "abstract class Stride3 {",
                "    @Conv2D(filters = 4, kernel = 3, stride = {2, 2, 2}) Layer conv;",
                "    @Flatten Layer flat;",
                "    @Dense(units = 1) Layer out;",
                "}");
    }

    @Test
    void zeroStrideWithSamePadding() {
        check("SameStill", "[StrideNotPositive] 'conv' declares stride = {0, 1}, but a stride must be at least 1",
                3, "0, 1",
                "@Network(input = {8, 8, 1}, loss = Loss.MSE)",
                "abstract class SameStill {",
                "    @Conv2D(filters = 4, kernel = 3, stride = {0, 1}, padding = Padding.SAME) Layer conv;",
                "    @Flatten Layer flat;",
                "    @Dense(units = 1) Layer out;",
                "}");
    }

    @Test
    void convolutionOutputTooLargeForAnArray() {
        check("Wide", "[TooLarge] 'conv' needs 3,439,329,280 floats for its output, more than the 2,147,483,647 a Java array holds",
                3, "@Conv2D",
                "@Network(input = {2048, 2048, 1}, loss = Loss.MSE)",
                "abstract class Wide {",
                "    @Conv2D(filters = 820, kernel = 1) Layer conv;",
                "    @Flatten Layer flat;",
                "    @Dense(units = 1) Layer out;",
                "}");
    }

    @Test
    void leakyReluConvolutionWithANegativeSlope() {
        check("Leaky", "[NegativeSlopeInvalid] 'conv' sets negativeSlope = -0.1, but it must be a finite number >= 0",
                3, "-0.1f",
                "@Network(input = {8, 8, 1}, loss = Loss.MSE)",
                "abstract class Leaky {",
                "    @Conv2D(filters = 4, kernel = 3, activation = Activation.LEAKY_RELU, negativeSlope = -0.1f) Layer conv;",
                "    @Flatten Layer flat;",
                "    @Dense(units = 1) Layer out;",
                "}");
    }

    @Test
    void notANumberSlope() {
        check("NanSlope", "[NegativeSlopeInvalid] 'hidden' sets negativeSlope = NaN, but it must be a finite number >= 0",
                3, ".NaN",
                "@Network(input = 4, loss = Loss.MSE)",
                "abstract class NanSlope {",
                "    @Dense(units = 3, activation = Activation.LEAKY_RELU, negativeSlope = Float.NaN) Layer hidden;",
                "    @Dense(units = 1) Layer out;",
                "}");
    }

    @Test
    void infiniteSlope() {
        check("InfiniteSlope", "[NegativeSlopeInvalid] 'hidden' sets negativeSlope = Infinity, but it must be a finite number >= 0",
                3, ".POSITIVE_INFINITY",
                "@Network(input = 4, loss = Loss.MSE)",
                "abstract class InfiniteSlope {",
                "    @Dense(units = 3, activation = Activation.LEAKY_RELU, negativeSlope = Float.POSITIVE_INFINITY) Layer hidden;",
                "    @Dense(units = 1) Layer out;",
                "}");
    }

    @Test
    void slopeOnALinearLayer() {
        check("LinearSlope", "[SlopeWithoutLeakyRelu] 'out' sets negativeSlope = 0.1 but its activation is LINEAR",
                3, "0.1f",
                "@Network(input = 4, loss = Loss.MSE)",
                "abstract class LinearSlope {",
                "    @Dense(units = 1, negativeSlope = 0.1f) Layer out;",
                "}");
    }

    @Test
    void maxPoolingOnAFlatInput() {
        check("FlatPool", "[NeedsImageInput] 'pool' is MaxPooling2D and needs an input of shape (height, width, channels), but input (64) gives it shape (64). "
                        + "Declare the input as (height, width, channels), for example input = {8, 8, 1} for 8x8 grey images.",
                3, "@MaxPooling2D",
                "@Network(input = 64, loss = Loss.MSE)",
                "abstract class FlatPool {",
                "    @MaxPooling2D Layer pool;",
                "    @Dense(units = 1) Layer out;",
                "}");
    }

    @Test
    void averagePoolingLargerThanItsInput() {
        check("BigAverage", "[PoolTooLarge] 'avg' pools 5x5 windows, larger than its 4x4 input, so its output would have no elements: "
                        + "input (4, 4, 2) -> avg (5x5 window) does not fit. Use a window of at most 4x4, or padding = Padding.SAME.",
                3, "5",
                "@Network(input = {4, 4, 2}, loss = Loss.MSE)",
                "abstract class BigAverage {",
                "    @AveragePooling2D(pool = 5) Layer avg;",
                "    @Flatten Layer flat;",
                "    @Dense(units = 1) Layer out;",
                "}");
    }

    @Test
    void averagePoolingWithAZeroStride() {
        check("AvgStill", "[StrideNotPositive] 'avg' declares stride = 0, but a stride must be at least 1",
                3, "0",
                "@Network(input = {4, 4, 2}, loss = Loss.MSE)",
                "abstract class AvgStill {",
                "    @AveragePooling2D(stride = 0) Layer avg;",
                "    @Flatten Layer flat;",
                "    @Dense(units = 1) Layer out;",
                "}");
    }

    @Test
    void poolingWindowWithThreeSides() {
        check("PoolCube", "[WindowDimensions] 'pool' declares pool = {2, 2, 2}, but it takes {height, width} or one number for both.",
                3, "{2, 2, 2}",
                "@Network(input = {4, 4, 2}, loss = Loss.MSE)",
                "abstract class PoolCube {",
                "    @MaxPooling2D(pool = {2, 2, 2}) Layer pool;",
                "    @Flatten Layer flat;",
                "    @Dense(units = 1) Layer out;",
                "}");
    }

    @Test
    void convolutionOnAFourDimensionalInput() {
        check("Volume", "[NeedsImageInput] 'conv' is Conv2D and needs an input of shape (height, width, channels), but input (4, 8, 8, 1) gives it shape (4, 8, 8, 1). "
                        + "Declare the input with three numbers: input = {height, width, channels}.",
                3, "@Conv2D",
                "@Network(input = {4, 8, 8, 1}, loss = Loss.MSE)",
                "abstract class Volume {",
                "    @Conv2D(filters = 2, kernel = 3) Layer conv;",
                "    @Flatten Layer flat;",
                "    @Dense(units = 1) Layer out;",
                "}");
    }

    @Test
    void convolutionAfterADenseLayer() {
        check("Backwards", "[NeedsImageInput] 'conv' is Conv2D and needs an input of shape (height, width, channels), but input (16) -> fc (8) gives it shape (8). "
                        + "Put convolution and pooling layers before Flatten and Dense layers.",
                4, "@Conv2D",
                "@Network(input = 16, loss = Loss.MSE)",
                "abstract class Backwards {",
                "    @Dense(units = 8) Layer fc;",
                "    @Conv2D(filters = 2, kernel = 3) Layer conv;",
                "}");
    }

    @Test
    void softmaxCrossEntropyOnOneUnit() {
        check("Single", "[LossNeedsClasses] loss = SOFTMAX_CROSS_ENTROPY needs one output per class and at least 2 classes, but the last layer 'out' has 1 output.",
                1, ".SOFTMAX_CROSS_ENTROPY",
                "@Network(input = 4, loss = Loss.SOFTMAX_CROSS_ENTROPY)",
                "abstract class Single {",
                "    @Dense(units = 1) Layer out;",
                "}");
    }

    @Test
    void binaryCrossEntropyOnTanh() {
        check("BceTanh", "[LossActivationMismatch] loss = BINARY_CROSS_ENTROPY takes logits and fuses a sigmoid, but the last layer 'out' ends in TANH. "
                        + "Set activation = Activation.LINEAR (or SIGMOID) on 'out'.",
                1, ".BINARY_CROSS_ENTROPY",
                "@Network(input = 4, loss = Loss.BINARY_CROSS_ENTROPY)",
                "abstract class BceTanh {",
                "    @Dense(units = 1, activation = Activation.TANH) Layer out;",
                "}");
    }

    @Test
    void sparseCrossEntropyOnSigmoid() {
        check("SparseSigmoid", "[LossActivationMismatch] loss = SPARSE_SOFTMAX_CROSS_ENTROPY takes logits and fuses a softmax, but the last layer 'out' ends in SIGMOID. "
                        + "Set activation = Activation.LINEAR (or SOFTMAX) on 'out', or use Loss.BINARY_CROSS_ENTROPY.",
                1, ".SPARSE_SOFTMAX_CROSS_ENTROPY",
                "@Network(input = 4, loss = Loss.SPARSE_SOFTMAX_CROSS_ENTROPY)",
                "abstract class SparseSigmoid {",
                "    @Dense(units = 3, activation = Activation.SIGMOID) Layer out;",
                "}");
    }

    @Test
    void softmaxBeforeAConvolutionalNetworksEnd() {
        check("MidSoftmax", "[SoftmaxNotLast] 'fc1' uses SOFTMAX, which is allowed only on the last layer ('fc2').",
                6, ".SOFTMAX",
                "@Network(input = {8, 8, 1}, loss = Loss.MSE)",
                "abstract class MidSoftmax {",
                "    @Conv2D(filters = 2, kernel = 3) Layer conv;",
                "    @MaxPooling2D Layer pool;",
                "    @Flatten Layer flat;",
                "    @Dense(units = 4, activation = Activation.SOFTMAX) Layer fc1;",
                "    @Dense(units = 2) Layer fc2;",
                "}");
    }

    @Test
    void onlyPoolingAndFlatten() {
        check("Pools", "[LossNeedsClasses] loss = SPARSE_SOFTMAX_CROSS_ENTROPY needs one output per class and at least 2 classes, but the last layer 'flat' has 1 output.",
                1, ".SPARSE_SOFTMAX_CROSS_ENTROPY",
                "@Network(input = {2, 2, 1}, loss = Loss.SPARSE_SOFTMAX_CROSS_ENTROPY)",
                "abstract class Pools {",
                "    @MaxPooling2D Layer pool;",
                "    @Flatten Layer flat;",
                "}");
    }
}
