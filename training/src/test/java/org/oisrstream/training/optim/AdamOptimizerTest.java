package org.oisrstream.training.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import org.bytedeco.pytorch.Tensor;
import org.junit.jupiter.api.Test;

class AdamOptimizerTest {

    @Test
    void followsTheAdamUpdateWithBiasCorrection() {
        Tensor w = Tensor.create(new float[] {1.0f, -2.0f}, 2).set_requires_grad(true);
        AdamOptimizer adam = new AdamOptimizer(Map.of("w", w), new AdamOptimizer.Hyper(0.9, 0.999, 1e-8));
        double[] expected = {1.0, -2.0};
        double[] m = new double[2];
        double[] v = new double[2];
        double[][] grads = {{0.5, -1.0}, {0.25, 3.0}, {-1.0, 0.5}};
        for (int t = 1; t <= grads.length; t++) {
            w.mutable_grad().put(Tensor.create(new float[] {(float) grads[t - 1][0], (float) grads[t - 1][1]}, 2));
            adam.step(0.1);
            for (int i = 0; i < 2; i++) {
                double g = grads[t - 1][i];
                m[i] = 0.9 * m[i] + 0.1 * g;
                v[i] = 0.999 * v[i] + 0.001 * g * g;
                double mHat = m[i] / (1 - Math.pow(0.9, t));
                double vHat = v[i] / (1 - Math.pow(0.999, t));
                expected[i] -= 0.1 * mHat / (Math.sqrt(vHat) + 1e-8);
            }
            float[] actual = new float[2];
            w.data_ptr_float().get(actual);
            assertEquals(expected[0], actual[0], 1e-5);
            assertEquals(expected[1], actual[1], 1e-5);
        }
        assertEquals(3, adam.stepCount());
    }

    @Test
    void learningRateHalvesEveryPeriod() {
        StepDecaySchedule s = new StepDecaySchedule(1e-4, 250_000, 0.5);
        assertEquals(1e-4, s.at(0));
        assertEquals(1e-4, s.at(249_999));
        assertEquals(5e-5, s.at(250_000));
        assertEquals(2.5e-5, s.at(500_001));
    }
}
