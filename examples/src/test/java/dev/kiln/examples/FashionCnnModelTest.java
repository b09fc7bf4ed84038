package dev.kiln.examples;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.runtime.Model;
import dev.kiln.runtime.ParameterTensor;
import java.lang.management.ManagementFactory;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The seeds' CNN as the Maven build compiles it: what a user gets from the generated class. */
class FashionCnnModelTest {

    @Test
    void layersAndParametersHavePyTorchNamesAndShapes() {
        FashionCnnModel model = new FashionCnnModel(1);
        assertArrayEquals(new int[] {28, 28, 1}, model.inputShape());
        assertEquals(784, model.inputSize());
        assertEquals(10, model.outputSize());
        assertEquals(693_962, model.parameters().size());
        List<String> tensors = model.parameters().tensors().stream().map(ParameterTensor::toString).toList();
        assertEquals(List.of("conv.weight (32, 1, 3, 3)", "conv.bias (32)", "hidden.weight (128, 5408)", "hidden.bias (128)",
                "probabilities.weight (10, 128)", "probabilities.bias (10)"), tensors);
        assertEquals("Conv2D", model.conv.kind());
        assertEquals(List.of(), model.pool.tensors());
        assertEquals("Flatten", model.flatten.kind());
    }

    /** He uniform for the ReLU layers (the convolution's fan-in is 1 x 3 x 3), Glorot for the softmax layer, zero biases. */
    @Test
    void initializationFollowsTheActivations() {
        FashionCnnModel model = new FashionCnnModel(11);
        assertWithin(model.parameters().get("conv.weight"), Math.sqrt(6.0 / 9));
        assertWithin(model.parameters().get("hidden.weight"), Math.sqrt(6.0 / 5408));
        assertWithin(model.parameters().get("probabilities.weight"), Math.sqrt(6.0 / (128 + 10)));
        for (String bias : List.of("conv.bias", "hidden.bias", "probabilities.bias")) {
            for (float b : model.parameters().get(bias)) {
                assertEquals(0f, b, bias);
            }
        }
    }

    private static void assertWithin(float[] values, double limit) {
        double max = 0;
        for (float v : values) {
            max = Math.max(max, Math.abs(v));
        }
        assertTrue(max <= limit && max > 0.9 * limit, "largest |w| " + max + " for the limit " + limit);
    }

    @Test
    void predictAllocatesNothing() {
        Model model = new FashionCnnModel(5);
        float[] input = new float[784];
        float[] output = new float[10];
        for (int i = 0; i < 784; i++) {
            input[i] = (i % 29) / 29f;
        }
        for (int i = 0; i < 20_000; i++) {
            model.predict(input, output);
        }
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long before = threads.getCurrentThreadAllocatedBytes();
        for (int i = 0; i < 5_000; i++) {
            model.predict(input, output);
        }
        long allocated = threads.getCurrentThreadAllocatedBytes() - before;
        assertEquals(0, allocated, "bytes allocated by 5,000 predict calls");
    }

    @Test
    void predictMatchesTheBatchForward() {
        Model model = new FashionCnnModel(6);
        float[] inputs = new float[3 * 784];
        for (int i = 0; i < inputs.length; i++) {
            inputs[i] = ((i * 7919) % 256) / 255f;
        }
        float[] batch = model.forward(inputs, 0, 3).clone();
        float[] one = new float[784];
        System.arraycopy(inputs, 2 * 784, one, 0, 784);
        float[] single = model.predict(one);
        for (int j = 0; j < 10; j++) {
            assertEquals(batch[20 + j], single[j], 1e-6, "output " + j);
        }
    }
}
