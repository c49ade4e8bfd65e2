package org.oisrstream.training;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.oisrstream.model.infer.MemoryLayout;
import org.oisrstream.model.infer.Precision;
import org.oisrstream.model.net.Architecture;
import org.oisrstream.model.net.Variant;
import org.oisrstream.training.data.DataRange;
import org.oisrstream.training.distributed.ReplicaSetup;

/**
 * Everything a training run is configured with. Defaults (in {@link TrainOptions}) are the paper's recipe: 48x48
 * RGB LR patches, flips and rotations, batch 16, L1, Adam(0.9, 0.999, 1e-8), 1e-4 halved every 250 epochs of 1000
 * iterations. Built with {@link #builder()}.
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

    /** The memory layout of weights and activations that {@link #channelsLast} asks for. */
    public MemoryLayout layout() {
        return channelsLast ? MemoryLayout.CHANNELS_LAST : MemoryLayout.NCHW;
    }

    private static Architecture architecture(String model, Optional<Integer> blocks, Optional<Integer> features,
                                             int scale) {
        Variant variant = Variant.parse(model);
        return new Architecture(variant.block(), blocks.orElse(variant.blocks()), features.orElse(variant.features()),
                scale);
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * Named construction of a {@link TrainConfig}. Every value must be given (the defaults live in
     * {@link TrainOptions}) except the optional ones, which start empty, and the validation sets, which start none.
     */
    public static final class Builder {
        private String model;
        private Optional<Integer> blocks = Optional.empty();
        private Optional<Integer> features = Optional.empty();
        private int scale;
        private List<Path> data = List.of();
        private Optional<DataRange> dataRange = Optional.empty();
        private List<Path> validation = List.of();
        private Path out;
        private String device;
        private ResumeMode resume;
        private Optional<Path> init = Optional.empty();
        private Precision precision;
        private boolean channelsLast;
        private int patch;
        private int batch;
        private boolean augment;
        private double learningRate;
        private long decayEvery;
        private double gamma;
        private long iterations;
        private double beta1;
        private double beta2;
        private double eps;
        private int validateEvery;
        private int checkpointEvery;
        private int logEvery;
        private long seed;
        private int samplerThreads;
        private int prefetch;
        private int torchThreads;
        private Optional<Path> cacheDir = Optional.empty();
        private double initialLossScale;
        private boolean progressBar;
        private Optional<ReplicaSetup> replicas = Optional.empty();

        private Builder() {
        }

        public Builder model(String model) {
            this.model = model;
            return this;
        }

        public Builder blocks(Optional<Integer> blocks) {
            this.blocks = blocks;
            return this;
        }

        public Builder features(Optional<Integer> features) {
            this.features = features;
            return this;
        }

        public Builder scale(int scale) {
            this.scale = scale;
            return this;
        }

        public Builder data(List<Path> data) {
            this.data = data;
            return this;
        }

        public Builder dataRange(Optional<DataRange> dataRange) {
            this.dataRange = dataRange;
            return this;
        }

        public Builder validation(List<Path> validation) {
            this.validation = validation;
            return this;
        }

        public Builder out(Path out) {
            this.out = out;
            return this;
        }

        public Builder device(String device) {
            this.device = device;
            return this;
        }

        public Builder resume(ResumeMode resume) {
            this.resume = resume;
            return this;
        }

        public Builder init(Optional<Path> init) {
            this.init = init;
            return this;
        }

        public Builder precision(Precision precision) {
            this.precision = precision;
            return this;
        }

        public Builder channelsLast(boolean channelsLast) {
            this.channelsLast = channelsLast;
            return this;
        }

        public Builder patch(int patch) {
            this.patch = patch;
            return this;
        }

        public Builder batch(int batch) {
            this.batch = batch;
            return this;
        }

        public Builder augment(boolean augment) {
            this.augment = augment;
            return this;
        }

        public Builder learningRate(double learningRate) {
            this.learningRate = learningRate;
            return this;
        }

        public Builder decayEvery(long decayEvery) {
            this.decayEvery = decayEvery;
            return this;
        }

        public Builder gamma(double gamma) {
            this.gamma = gamma;
            return this;
        }

        public Builder iterations(long iterations) {
            this.iterations = iterations;
            return this;
        }

        public Builder beta1(double beta1) {
            this.beta1 = beta1;
            return this;
        }

        public Builder beta2(double beta2) {
            this.beta2 = beta2;
            return this;
        }

        public Builder eps(double eps) {
            this.eps = eps;
            return this;
        }

        public Builder validateEvery(int validateEvery) {
            this.validateEvery = validateEvery;
            return this;
        }

        public Builder checkpointEvery(int checkpointEvery) {
            this.checkpointEvery = checkpointEvery;
            return this;
        }

        public Builder logEvery(int logEvery) {
            this.logEvery = logEvery;
            return this;
        }

        public Builder seed(long seed) {
            this.seed = seed;
            return this;
        }

        public Builder samplerThreads(int samplerThreads) {
            this.samplerThreads = samplerThreads;
            return this;
        }

        public Builder prefetch(int prefetch) {
            this.prefetch = prefetch;
            return this;
        }

        public Builder torchThreads(int torchThreads) {
            this.torchThreads = torchThreads;
            return this;
        }

        public Builder cacheDir(Optional<Path> cacheDir) {
            this.cacheDir = cacheDir;
            return this;
        }

        public Builder initialLossScale(double initialLossScale) {
            this.initialLossScale = initialLossScale;
            return this;
        }

        public Builder progressBar(boolean progressBar) {
            this.progressBar = progressBar;
            return this;
        }

        public Builder replicas(Optional<ReplicaSetup> replicas) {
            this.replicas = replicas;
            return this;
        }

        public TrainConfig build() {
            if (model == null || out == null || device == null || resume == null || precision == null) {
                throw new IllegalArgumentException("model, out, device, resume and precision must be set");
            }
            return new TrainConfig(model, blocks, features, scale, data, dataRange, validation, out, device, resume, init, precision, channelsLast, patch, batch, augment, learningRate, decayEvery, gamma, iterations, beta1, beta2, eps, validateEvery, checkpointEvery, logEvery, seed, samplerThreads, prefetch, torchThreads, cacheDir, initialLossScale, progressBar, replicas);
        }
    }
}
