package dev.kiln.runtime.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.kiln.runtime.ParameterTensor;
import dev.kiln.runtime.Parameters;
import java.util.List;
import org.junit.jupiter.api.Test;

class OptimizerChecksTest {

    @Test
    void nesterovNeedsMomentumWithoutDampening() {
        Sgd sgd = new Sgd(0.1).momentum(0.9).dampening(0.1).nesterov(true);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> sgd.step(OptimizerReferenceTest.parameters()));
        assertEquals("Nesterov momentum needs a momentum > 0 and zero dampening, but momentum is 0.9 and dampening 0.1", e.getMessage());
    }

    @Test
    void stateBelongsToOneParameterVector() {
        Adam adam = new Adam(0.01);
        adam.step(OptimizerReferenceTest.parameters());
        Parameters other = new Parameters(List.of(new ParameterTensor("w", 0, 7)));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> adam.step(other));
        assertEquals("Adam keeps state for 50 parameters but was given 7; use one optimizer per model", e.getMessage());
    }

    @Test
    void rejectsHyperparametersPyTorchRejects() {
        assertEquals("learning rate must be >= 0 but is -0.1",
                assertThrows(IllegalArgumentException.class, () -> new Sgd(-0.1)).getMessage());
        assertEquals("beta2 must be in [0, 1) but is 1.0",
                assertThrows(IllegalArgumentException.class, () -> new Adam(0.1).betas(0.9, 1.0)).getMessage());
        assertEquals("the maximum gradient norm must be > 0 but is 0.0",
                assertThrows(IllegalArgumentException.class, () -> new GradientNormClipping(0)).getMessage());
    }

    @Test
    void stepsLeaveTheGradientsAlone() {
        Parameters p = OptimizerReferenceTest.parameters();
        for (int i = 0; i < p.size(); i++) {
            p.values()[i] = i * 0.1f;
            p.gradients()[i] = 1f - i * 0.01f;
        }
        float[] gradients = p.gradients().clone();
        new Sgd(0.1).momentum(0.9).weightDecay(0.1).step(p);
        new RmsProp(0.1).weightDecay(0.1).centered(true).step(p);
        new Adam(0.1).weightDecay(0.1).step(p);
        new AdamW(0.1).step(p);
        assertArrayEquals(gradients, p.gradients());
    }

    @Test
    void schedulesFollowPyTorchsClosedForms() {
        StepDecay step = new StepDecay(3, 0.1);
        CosineAnnealing cosine = new CosineAnnealing(10, 0.01);
        double stepRate = 1;
        double cosineRate = 1;
        for (int epoch = 0; epoch < 25; epoch++) {
            stepRate = step.learningRate(epoch, stepRate, 1);
            cosineRate = cosine.learningRate(epoch, cosineRate, 1);
            assertEquals(Math.pow(0.1, epoch / 3), stepRate, 1e-12, "StepLR at epoch " + epoch);
            assertEquals(0.01 + 0.99 * (1 + Math.cos(Math.PI * epoch / 10)) / 2, cosineRate, 1e-12, "cosine at epoch " + epoch);
        }
    }
}
