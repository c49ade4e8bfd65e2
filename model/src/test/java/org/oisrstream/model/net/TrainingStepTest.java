package org.oisrstream.model.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Adam;
import org.bytedeco.pytorch.AdamOptions;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.junit.jupiter.api.Test;

/** The module trains with a stock LibTorch optimizer; the mean shifts stay fixed. */
class TrainingStepTest {

    @Test
    void adamStepsLowerTheLossAndLeaveTheMeanShiftsAlone() {
        // Two threads, the setting that made oneDNN's backward return NaN here (see TorchRuntime); run 10 times.
        int threads = torch.get_num_threads();
        torch.set_num_threads(2);
        try (TorchRuntime.Restorer convolutions = TorchRuntime.cpuTrainingConvolutions(true)) {
            for (int run = 0; run < 10; run++) {
                eightAdamSteps();
            }
        } finally {
            torch.set_num_threads(threads);
        }
    }

    private static void eightAdamSteps() {
        torch.manual_seed(9);
        OisrNet net = new OisrNet(new Architecture(BlockType.RK3, 1, 8, 2));
        net.train(true);
        Adam adam = new Adam(net.trainableParameterVector(), new AdamOptions(1e-3));
        float meanBias = HostTensors.toHost(net.namedParameters().get("add_mean.bias")).toFloats()[1];
        float headBias = HostTensors.toHost(net.namedParameters().get("head.0.bias")).toFloats()[1];
        float first = 0;
        float last = 0;
        try (PointerScope scope = new PointerScope()) {
            Tensor lr = torch.rand(2, 3, 6, 6).mul(new Scalar(255.0));
            Tensor hr = torch.rand(2, 3, 12, 12).mul(new Scalar(255.0));
            for (int step = 0; step < 8; step++) {
                try (PointerScope stepScope = new PointerScope()) {
                    adam.zero_grad();
                    Tensor loss = torch.l1_loss(net.forward(lr), hr);
                    loss.backward();
                    adam.step();
                    if (step == 0) {
                        first = loss.item_float();
                    }
                    last = loss.item_float();
                }
            }
        }
        assertTrue(last < first, "loss " + first + " -> " + last);
        assertEquals(meanBias, HostTensors.toHost(net.namedParameters().get("add_mean.bias")).toFloats()[1]);
        assertNotEquals(headBias, HostTensors.toHost(net.namedParameters().get("head.0.bias")).toFloats()[1]);
        adam.close();
        net.close();
    }
}
