package dev.kiln.benchmarks;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The benchmarks' W1 declaration against the anchors' PyTorch model; no timing. */
class W1ModelsTest {

    @Test
    void tensorsAreNamedAndShapedAsPyTorchsStateDict() {
        W1MlpModel model = new W1MlpModel(0L);
        assertEquals(List.of("fc1.weight (128, 784)", "fc1.bias (128)", "fc2.weight (10, 128)", "fc2.bias (10)"),
                model.parameters().tensors().stream().map(Object::toString).toList());
    }

    @Test
    void anchorWeightsReproducePyTorchsProbabilities() {
        assumeTrue(Anchors.haveW1Weights(), "the anchors' exported W1 files are absent (shared/anchors/setup.sh)");
        W1MlpModel model = W1Models.loadChecked(); // throws if any probability is off by more than 1e-5
        float[] expected = Anchors.readFloats("w1_probs64.bin", Anchors.SAMPLES * Anchors.CLASSES);
        float[] input = new float[Anchors.INPUT];
        System.arraycopy(Anchors.inputs64(), 0, input, 0, Anchors.INPUT);
        float[] first = new float[Anchors.CLASSES];
        System.arraycopy(expected, 0, first, 0, Anchors.CLASSES);
        assertArrayEquals(first, model.predict(input), Anchors.TOLERANCE);
    }

    @Test
    void trainingStepRunsOnTheBenchmarkData() {
        KilnW2Train train = new KilnW2Train();
        train.batch = 32;
        train.setup();
        float first = train.step();
        assertEquals(Math.log(10), first, 0.5, "a fresh classifier's cross-entropy is about ln 10");
    }
}
