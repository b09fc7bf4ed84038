package dev.kiln.runtime.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.kiln.runtime.testing.ReferenceFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ConfusionMatrixTest {

    /**
     * actual    0 0 1 1 1 2, predicted 0 1 1 1 0 1. Class 2 is never predicted, so its precision
     * is 0/0, which counts as 0 (scikit-learn's zero_division=0).
     */
    @Test
    void handComputedMetrics() {
        ConfusionMatrix cm = ConfusionMatrix.of(new int[] {0, 0, 1, 1, 1, 2}, new int[] {0, 1, 1, 1, 0, 1}, 3);
        assertEquals(1, cm.count(0, 0));
        assertEquals(1, cm.count(0, 1));
        assertEquals(1, cm.count(1, 0));
        assertEquals(2, cm.count(1, 1));
        assertEquals(1, cm.count(2, 1));
        assertEquals(0, cm.count(2, 2));
        assertEquals(6, cm.total());
        assertEquals(0.5, cm.accuracy(), 1e-15);
        assertEquals(0.5, cm.precision(0), 1e-15);
        assertEquals(0.5, cm.precision(1), 1e-15);
        assertEquals(0.0, cm.precision(2), 1e-15);
        assertEquals(0.5, cm.recall(0), 1e-15);
        assertEquals(2.0 / 3, cm.recall(1), 1e-15);
        assertEquals(0.0, cm.recall(2), 1e-15);
        assertEquals(0.5, cm.f1(0), 1e-15);
        assertEquals(4.0 / 7, cm.f1(1), 1e-15);
        assertEquals(0.0, cm.f1(2), 1e-15);
        assertEquals(1.0 / 3, cm.macroPrecision(), 1e-15);
        assertEquals(7.0 / 18, cm.macroRecall(), 1e-15);
        assertEquals(5.0 / 14, cm.macroF1(), 1e-15);
    }

    @ParameterizedTest
    @ValueSource(strings = {"never_predicted", "absent_classes"})
    void matchesScikitLearn(String name) {
        ReferenceFile ref = ReferenceFile.resource("/reference/metrics_" + name + ".ref");
        int classes = ref.shape("outputs")[1];
        ConfusionMatrix cm = ConfusionMatrix.fromOutputs(ref.get("outputs"), classes, ref.get("targets"));
        float[] confusion = ref.get("confusion");
        for (int a = 0; a < classes; a++) {
            for (int p = 0; p < classes; p++) {
                assertEquals((long) confusion[a * classes + p], cm.count(a, p), name + ": count(" + a + ", " + p + ")");
            }
        }
        assertEquals(ref.scalar("accuracy"), cm.accuracy(), 1e-7, name + ": accuracy");
        for (int c = 0; c < classes; c++) {
            assertEquals(ref.get("precision")[c], cm.precision(c), 1e-7, name + ": precision of class " + c);
            assertEquals(ref.get("recall")[c], cm.recall(c), 1e-7, name + ": recall of class " + c);
            assertEquals(ref.get("f1")[c], cm.f1(c), 1e-7, name + ": F1 of class " + c);
        }
        assertEquals(ref.scalar("macro_precision"), cm.macroPrecision(), 1e-7, name + ": macro precision");
        assertEquals(ref.scalar("macro_recall"), cm.macroRecall(), 1e-7, name + ": macro recall");
        assertEquals(ref.scalar("macro_f1"), cm.macroF1(), 1e-7, name + ": macro F1");
    }

    @Test
    void binaryOutputsUseTheThreshold() {
        float[] logits = {-1f, 0.2f, 3f, -0.1f};
        float[] targets = {0, 1, 1, 1};
        assertEquals(0.75, ConfusionMatrix.fromBinaryOutputs(logits, targets, 0f).accuracy(), 1e-15);
        assertEquals(0.5, ConfusionMatrix.fromBinaryOutputs(logits, targets, 0.5f).accuracy(), 1e-15);
    }

    @Test
    void argmaxTakesTheFirstMaximumAndSkipsNaN() {
        assertEquals(1, Predictions.argmax(new float[] {9f, 1f, 3f, 3f}, 1, 3));
        assertEquals(2, Predictions.argmax(new float[] {Float.NaN, 1f, 2f}, 0, 3));
    }

    @Test
    void rejectsTargetsThatAreNotClassIndices() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ConfusionMatrix.fromOutputs(new float[] {1, 0, 0, 1}, 2, new float[] {0, 1.5f}));
        assertEquals("target 1 is 1.5, not a class index in [0, 2)", e.getMessage());
    }
}
