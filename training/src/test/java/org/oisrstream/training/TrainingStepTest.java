package org.oisrstream.training;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.bytedeco.pytorch.Device;
import org.bytedeco.pytorch.global.torch;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.oisrstream.model.infer.Precision;
import org.oisrstream.model.net.Architecture;
import org.oisrstream.model.net.BlockType;
import org.oisrstream.model.net.OisrNet;
import org.oisrstream.training.data.PatchBatch;
import org.oisrstream.training.data.PatchSampler;
import org.oisrstream.training.optim.AdamOptimizer;
import org.oisrstream.training.optim.LossScaler;

class TrainingStepTest {

    @ParameterizedTest
    @CsvSource({"FP32, false", "FP32, true", "BF16, true", "FP16, false"})
    void aStepOnAFixedBatchLowersItsLoss(Precision precision, boolean channelsLast) {
        torch.manual_seed(7);
        OisrNet network = new OisrNet(new Architecture(BlockType.LF, 1, 8, 2));
        network.setWeightMemoryFormat(channelsLast ? torch.MemoryFormat.ChannelsLast : torch.MemoryFormat.Contiguous);
        AdamOptimizer adam = new AdamOptimizer(network.namedTrainableParameters(),
                new AdamOptimizer.Hyper(0.9, 0.999, 1e-8));
        TrainingStep step = new TrainingStep(network, adam, precision, channelsLast, new Device(torch.DeviceType.CPU),
                new LossScaler(1024, 2000));
        PatchBatch batch = new PatchSampler(SyntheticImages.pairs(3, 40, 2, 1), 4, 12, 5, true).batch(0);

        double first = step.run(batch, 1e-3).loss();
        double second = step.run(batch, 1e-3).loss();
        double third = step.run(batch, 1e-3).loss();

        assertTrue(second < first && third < second,
                precision + ": losses " + first + ", " + second + ", " + third + " should fall");
    }
}
