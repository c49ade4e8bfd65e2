package org.oisrstream.training;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import org.bytedeco.pytorch.Device;
import org.bytedeco.pytorch.global.torch;
import org.oisrstream.model.image.RgbImage;
import org.oisrstream.model.infer.MemoryLayout;
import org.oisrstream.model.infer.Precision;
import org.oisrstream.model.net.ModelSpec;
import org.oisrstream.model.net.OisrNet;
import org.oisrstream.model.quality.MatlabBicubic;
import org.oisrstream.training.data.PairSet;
import org.oisrstream.training.data.PatchSampler;
import org.oisrstream.training.data.TrainingPair;
import org.oisrstream.training.optim.AdamOptimizer;
import org.oisrstream.training.optim.LossScaler;

/**
 * Times full training steps (forward, L1, backward, Adam) of a paper network for each precision and memory layout:
 * wall seconds per step and process CPU seconds per step (the latter is the fairer number on a shared machine).
 * Usage: {@code StepBenchmark MODEL SCALE [BATCH PATCH STEPS]}, e.g. {@code lf-s 4 16 48 5}.
 */
public final class StepBenchmark {

    private StepBenchmark() {
    }

    public static void main(String[] args) {
        ModelSpec spec = ModelSpec.of(args.length > 0 ? args[0] : "lf-s", args.length > 1 ? Integer.parseInt(args[1]) : 4);
        int batch = args.length > 2 ? Integer.parseInt(args[2]) : 16;
        int patch = args.length > 3 ? Integer.parseInt(args[3]) : 48;
        int steps = args.length > 4 ? Integer.parseInt(args[4]) : 5;
        List<TrainingPair> pairs = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            RgbImage hr = noise(patch * spec.scale() * 2, i);
            pairs.add(new TrainingPair("n" + i, hr, MatlabBicubic.downscale(hr, spec.scale())));
        }
        PatchSampler sampler = new PatchSampler(new PairSet("noise", spec.scale(), pairs, List.of()), batch, patch, 1, true);
        System.out.printf("%s, batch %d x %dx%d LR, %d LibTorch threads, %d timed steps after 1 warm-up%n",
                spec, batch, patch, patch, torch.get_num_threads(), steps);
        System.out.println("| precision | layout | wall s/step | CPU s/step |");
        System.out.println("|---|---|---|---|");
        for (Precision precision : new Precision[] {Precision.FP32, Precision.BF16}) {
            for (boolean channelsLast : new boolean[] {false, true}) {
                torch.manual_seed(1);
                OisrNet network = new OisrNet(spec);
                network.setWeightMemoryFormat(layout(channelsLast).memoryFormat());
                AdamOptimizer adam = new AdamOptimizer(network.namedTrainableParameters(),
                        new AdamOptimizer.Hyper(0.9, 0.999, 1e-8));
                TrainingStep step = new TrainingStep(network, adam, precision, channelsLast,
                        new Device(torch.DeviceType.CPU), new LossScaler(65536, 2000));
                step.run(sampler.batch(0), 1e-4);
                long wall = System.nanoTime();
                long cpu = processCpuNanos();
                for (int i = 1; i <= steps; i++) {
                    step.run(sampler.batch(i), 1e-4);
                }
                System.out.printf("| %s | %s | %.2f | %.2f |%n", precision, channelsLast ? "channels-last" : "NCHW",
                        (System.nanoTime() - wall) / 1e9 / steps, (processCpuNanos() - cpu) / 1e9 / steps);
            }
        }
    }

    private static MemoryLayout layout(boolean channelsLast) {
        return channelsLast ? MemoryLayout.CHANNELS_LAST : MemoryLayout.NCHW;
    }

    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    private static RgbImage noise(int side, long seed) {
        java.util.Random random = new java.util.Random(seed);
        byte[] pixels = new byte[side * side * 3];
        random.nextBytes(pixels);
        return new RgbImage(side, side, pixels);
    }
}
