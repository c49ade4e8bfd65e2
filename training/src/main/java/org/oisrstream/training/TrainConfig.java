package org.oisrstream.training;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.oisrstream.model.net.Architecture;
import org.oisrstream.model.net.Variant;
import org.oisrstream.training.data.DataRange;
import org.oisrstream.training.distributed.ReplicaSetup;

/**
 * Everything a training run is configured with. Defaults (in {@link TrainOptions}) are the paper's recipe: 48x48
 * RGB LR patches, flips and rotations, batch 16, L1, Adam(0.9, 0.999, 1e-8), 1e-4 halved every 250 epochs of 1000
 * iterations.
 *
 * @param blocks         override of the variant's number of blocks (experiments, tests); empty for the paper's
 * @param features       override of the variant's feature channels; empty for the paper's
 * @param decayEvery     iterations between learning-rate decays
 * @param samplerThreads background threads that cut and augment patches
 * @param prefetch       batches made ahead of the model
 * @param torchThreads   LibTorch intra-op threads, 0 for LibTorch's default (one per core)
 * @param cacheDir       where decoded image pairs are cached on disk; empty for memory only
 * @param resume         what to do when {@code out} already holds a checkpoint
 * @param batch          the global batch; a data-parallel run splits it evenly over its replicas
 * @param replicas       this process's place in a data-parallel run; empty for a single process
 */
public record TrainConfig(
        String model,
        Optional<Integer> blocks,
        Optional<Integer> features,
        int scale,
        List<Path> data,
        Optional<DataRange> dataRange,
        List<Path> validation,
        Path out,
        String device,
        ResumeMode resume,
        Optional<Path> init,
        Precision precision,
        boolean channelsLast,
        int patch,
        int batch,
        boolean augment,
        double learningRate,
        long decayEvery,
        double gamma,
        long iterations,
        double beta1,
        double beta2,
        double eps,
        int validateEvery,
        int checkpointEvery,
        int logEvery,
        long seed,
        int samplerThreads,
        int prefetch,
        int torchThreads,
        Optional<Path> cacheDir,
        double initialLossScale,
        boolean progressBar,
        Optional<ReplicaSetup> replicas) {

    public TrainConfig {
        data = List.copyOf(data);
        validation = List.copyOf(validation);
        if (data.isEmpty()) {
            throw new IllegalArgumentException("no training data (--data DIR)");
        }
        requirePositive("patch size", patch);
        requirePositive("batch size", batch);
        requirePositive("iterations", iterations);
        requirePositive("validation interval", validateEvery);
        requirePositive("checkpoint interval", checkpointEvery);
        requirePositive("log interval", logEvery);
        requirePositive("sampler threads", samplerThreads);
        requirePositive("prefetch depth", prefetch);
        if (!(learningRate > 0) || !(gamma > 0) || decayEvery < 1) {
            throw new IllegalArgumentException("learning rate, decay factor and decay period must be positive");
        }
        if (resume == ResumeMode.ALWAYS && init.isPresent()) {
            throw new IllegalArgumentException("--init starts a new run from weights; it cannot be combined with"
                    + " --resume always (with --resume auto it applies only when there is no checkpoint yet)");
        }
        if (replicas.isPresent() && batch % replicas.get().worldSize() != 0) {
            throw new IllegalArgumentException("--batch " + batch + " must split evenly over --world-size "
                    + replicas.get().worldSize());
        }
        architecture(model, blocks, features, scale); // validates model name, overrides and scale
    }

    private static void requirePositive(String what, long value) {
        if (value < 1) {
            throw new IllegalArgumentException(what + " must be at least 1, got " + value);
        }
    }

    public Architecture architecture() {
        return architecture(model, blocks, features, scale);
    }

    private static Architecture architecture(String model, Optional<Integer> blocks, Optional<Integer> features,
                                             int scale) {
        Variant variant = Variant.parse(model);
        return new Architecture(variant.block(), blocks.orElse(variant.blocks()), features.orElse(variant.features()),
                scale);
    }
}
