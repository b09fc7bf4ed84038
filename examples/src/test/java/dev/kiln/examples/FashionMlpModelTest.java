package dev.kiln.examples;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.runtime.Model;
import dev.kiln.runtime.ParameterTensor;
import dev.kiln.runtime.SeededRandom;
import java.lang.management.ManagementFactory;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The example network as the Maven build compiles it: what a user gets from the generated class. */
class FashionMlpModelTest {

    @Test
    void layersAndParametersHavePyTorchNamesAndShapes() {
        FashionMlpModel model = new FashionMlpModel(1);
        assertEquals(784, model.inputSize());
        assertEquals(10, model.outputSize());
        assertEquals(101_770, model.parameters().size());
        assertEquals("hidden", model.hidden.name());
        List<String> tensors = model.parameters().tensors().stream().map(ParameterTensor::toString).toList();
        assertEquals(List.of("hidden.weight (128, 784)", "hidden.bias (128)", "logits.weight (10, 128)", "logits.bias (10)"), tensors);
        assertEquals(model.parameters().tensor("logits.weight"), model.logits.tensors().get(0));
    }

    @Test
    void theSameSeedGivesTheSameWeights() {
        assertArrayEquals(new FashionMlpModel(7).parameters().values(), new FashionMlpModel(7).parameters().values());
        assertTrue(new FashionMlpModel(7).parameters().values()[0] != new FashionMlpModel(8).parameters().values()[0]);
    }

    @Test
    void gradientStepsLowerTheLossOnABatch() {
        Model model = new FashionMlpModel(3);
        SeededRandom random = new SeededRandom(4);
        int batch = 16;
        float[] x = new float[batch * 784];
        float[] labels = new float[batch];
        for (int r = 0; r < batch; r++) {
            labels[r] = r % 10;
            for (int i = 0; i < 784; i++) {
                x[r * 784 + i] = random.nextFloat() * 0.5f + (i % 10 == r % 10 ? 0.5f : 0f);
            }
        }
        float first = 0;
        float last = 0;
        for (int step = 0; step < 30; step++) {
            model.zeroGrad();
            model.forward(x, 0, batch);
            last = model.loss(labels, 0);
            if (step == 0) {
                first = last;
            }
            model.backwardParameters();
            float[] w = model.parameters().values();
            float[] dw = model.parameters().gradients();
            for (int i = 0; i < w.length; i++) {
                w[i] -= 0.1f * dw[i];
            }
        }
        assertTrue(last < first / 4, "loss went from " + first + " to " + last);
    }

    @Test
    void aReplicaSharesTheValuesAndHasItsOwnGradients() {
        FashionMlpModel model = new FashionMlpModel(11);
        FashionMlpModel replica = model.replica();
        assertTrue(replica.parameters().values() == model.parameters().values(), "the values are shared");
        assertTrue(replica.parameters().gradients() != model.parameters().gradients(), "the gradients are not");
        float[] x = new float[3 * 784];
        for (int i = 0; i < x.length; i++) {
            x[i] = (i % 13) / 13f;
        }
        float[] labels = {1, 4, 9};
        for (Model m : List.<Model>of(model, replica)) {
            m.zeroGrad();
            m.forward(x, 0, 3);
            m.loss(labels, 0);
            m.backwardParameters();
        }
        assertArrayEquals(model.parameters().gradients(), replica.parameters().gradients());
        model.parameters().values()[0] += 1f;
        assertEquals(model.parameters().values()[0], replica.parameters().values()[0]);
        assertEquals("hidden", replica.hidden.name());
    }

    @Test
    void predictAllocatesNothing() {
        Model model = new FashionMlpModel(5);
        float[] input = new float[784];
        for (int i = 0; i < input.length; i++) {
            input[i] = i % 3 == 0 ? 0f : (i % 17) / 17f; // zeros and values, so every branch of the kernels runs
        }
        float[] output = new float[10];
        // Warm up for long enough that C2 has compiled the kernels (the Vector API allocates in the
        // interpreter and C1), however fast a call is.
        long warmUpEnd = System.nanoTime() + 2_000_000_000L;
        for (int i = 0; i < 20_000 || System.nanoTime() < warmUpEnd; i++) {
            model.predict(input, output);
        }
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long before = threads.getCurrentThreadAllocatedBytes();
        for (int i = 0; i < 10_000; i++) {
            model.predict(input, output);
        }
        long allocated = threads.getCurrentThreadAllocatedBytes() - before;
        assertEquals(0, allocated, "bytes allocated by 10,000 predict calls");
    }

    @Test
    void wrongInputLengthNamesWhatWasExpected() {
        Model model = new FashionMlpModel();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> model.predict(new float[783], new float[10]));
        assertEquals("FashionMlp: input must hold 784 floats but holds 783", e.getMessage());
    }

    @Test
    void backwardBeforeLossIsRefused() {
        Model model = new FashionMlpModel();
        model.forward(new float[784], 0, 1);
        IllegalStateException e = assertThrows(IllegalStateException.class, model::backward);
        assertEquals("backward() needs loss(...) after forward(...)", e.getMessage());
    }

    @Test
    void badClassIndexIsRejected() {
        Model model = new FashionMlpModel();
        model.forward(new float[784 * 2], 0, 2);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> model.loss(new float[] {3, 10}, 0));
        assertEquals("target 1 is 10.0, but FashionMlp has classes 0 to 9: sparse cross-entropy takes the class index of each sample", e.getMessage());
    }

    @Test
    void summaryAndToStringDescribeTheModel() {
        FashionMlpModel model = new FashionMlpModel(1);
        assertEquals("""
                layer   kind   input  output  activation  parameters
                hidden  Dense  (784)  (128)   RELU           100,480
                logits  Dense  (128)  (10)    LINEAR           1,290
                total parameters: 101,770
                loss: SPARSE_SOFTMAX_CROSS_ENTROPY
                """, model.summary());
        String kernels = dev.kiln.runtime.Kernels.vectorized() ? "vector kernels of " + dev.kiln.runtime.Kernels.lanes() + " lanes" : "scalar kernels";
        assertEquals("FashionMlpModel: (784) -> (10), 101,770 parameters, " + kernels, model.toString());
        assertEquals("FashionMlpModel: (784) -> (10), 101,770 parameters, scalar kernels",
                new FashionMlpModel(1, dev.kiln.runtime.Kernels.Kind.SCALAR).toString());
    }
}
