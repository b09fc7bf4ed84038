package dev.kiln.benchmarks;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The benchmarks' W1 and W3 declarations against the anchors' PyTorch models; no timing. */
class AnchorModelsTest {

    @Test
    void tensorsAreNamedAndShapedAsPyTorchsStateDict() {
        W1MlpModel model = new W1MlpModel(0L);
        assertEquals(List.of("fc1.weight (128, 784)", "fc1.bias (128)", "fc2.weight (10, 128)", "fc2.bias (10)"),
                model.parameters().tensors().stream().map(Object::toString).toList());
    }

    @Test
    void anchorWeightsReproducePyTorchsProbabilities() {
        assumeTrue(Anchors.haveW1Weights(), "the anchors' exported W1 files are absent (shared/anchors/setup.sh)");
        W1MlpModel model = AnchorModels.w1(); // throws if any probability is off by more than 1e-5
        float[] expected = Anchors.readFloats("w1_probs64.bin", Anchors.SAMPLES * Anchors.CLASSES);
        float[] input = new float[Anchors.INPUT];
        System.arraycopy(Anchors.inputs64("w1"), 0, input, 0, Anchors.INPUT);
        float[] first = new float[Anchors.CLASSES];
        System.arraycopy(expected, 0, first, 0, Anchors.CLASSES);
        assertArrayEquals(first, model.predict(input), Anchors.TOLERANCE);
    }

    @Test
    void w3TensorsAreNamedAndShapedAsPyTorchsStateDict() {
        W3CnnModel model = new W3CnnModel(0L);
        assertEquals(List.of("conv.weight (32, 1, 3, 3)", "conv.bias (32)", "fc1.weight (128, 5408)", "fc1.bias (128)",
                "fc2.weight (10, 128)", "fc2.bias (10)"),
                model.parameters().tensors().stream().map(Object::toString).toList());
    }

    @Test
    void w3AnchorWeightsReproducePyTorchsProbabilities() {
        assumeTrue(Files.isRegularFile(Anchors.file(AnchorModels.W3_WEIGHTS)),
                "no " + AnchorModels.W3_WEIGHTS + " (benchmarks/py/export_w3_weights.py writes it)");
        AnchorModels.w3(); // throws if any probability is off by more than 1e-5
    }

    @Test
    void w3TrainingStepRunsOnTheBenchmarkData() {
        KilnW3 w3 = new KilnW3();
        w3.setup();
        float first = w3.train128();
        assertEquals(Math.log(10), first, 1.0, "a fresh classifier's cross-entropy is about ln 10");
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
