package org.oisrstream.training;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.oisrstream.model.cli.DeviceOptions;
import org.oisrstream.model.cli.ModelOptions;
import org.oisrstream.model.cli.ThreadsOption;
import org.oisrstream.model.infer.ComputeDevice;
import org.oisrstream.model.infer.Precision;
import org.oisrstream.model.infer.Upscalers;
import org.oisrstream.model.net.Variant;
import org.oisrstream.training.data.DataRange;
import org.oisrstream.training.distributed.ReplicaSetup;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The options of a training run, shared by {@code oisr train} and {@link TrainMain} (a picocli mixin). Defaults are
 * the paper's recipe; see {@link TrainConfig}. {@code --model}, {@code --scale}, {@code --device}, {@code --precision}
 * and {@code --threads} are the mixins every command shares ({@code org.oisrstream.model.cli}), with their defaults.
 */
public final class TrainOptions {

    /** {@code --model} (a network) and {@code --scale}, as in every command. */
    @Mixin
    ModelOptions model;

    @Option(names = "--data", required = true, arity = "1..*", paramLabel = "DIR",
            description = "Training data: a DIV2K folder (DIV2K_train_HR, DIV2K_train_LR_bicubic/XS) or folders of HR images (png, jpg, bmp). Repeatable.")
    List<Path> data = new ArrayList<>();

    @Option(names = "--data-range", paramLabel = "TRAIN[/VAL]",
            description = "DIV2K image numbers, EDSR style: 1-800 or 1-800/801-810 (the part after / is a validation set). Default 1-800.")
    String dataRange;

    @Option(names = "--val", arity = "1..*", paramLabel = "DIR",
            description = "Validation sets (benchmark xS/*_HR.png+*_LR.png, EDSR HR+LR_bicubic, or HR folders). The first one selects the best checkpoint.")
    List<Path> validation = new ArrayList<>();

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Run folder: checkpoints, log.jsonl, curve.png, best.safetensors.")
    Path out;

    /** {@code --device} and {@code --precision}, as in every command: {@code auto} resolves by the same rules. */
    @Mixin
    DeviceOptions devices;

    @Option(names = "--resume", arity = "0..1", paramLabel = "MODE", defaultValue = "auto", fallbackValue = "always",
            description = "auto: continue the run in --out from its last checkpoint if it has one, else start it"
                    + " (default, so a restarted job just goes on); always (bare --resume): continue, fail if there is"
                    + " no checkpoint; never: fail if --out already holds a run.")
    String resume;

    @Option(names = "--init", paramLabel = "FILE",
            description = "Start from these weights (safetensors or PyTorch .pt), e.g. x4 from x2: every tensor whose name and shape fit is loaded, the others are skipped and listed; tensors the file lacks keep their fresh initialisation.")
    Path init;

    @Option(names = "--channels-last", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "Channels-last memory layout (faster with oneDNN on CPU). Default: ${DEFAULT-VALUE}.")
    boolean channelsLast;

    @Option(names = "--patch", defaultValue = "48", description = "LR patch side (default: ${DEFAULT-VALUE}).")
    int patch;

    @Option(names = "--batch", defaultValue = "16", description = "Minibatch size (default: ${DEFAULT-VALUE}).")
    int batch;

    @Option(names = "--no-augment", description = "No random flips and rotations.")
    boolean noAugment;

    @Option(names = "--lr", defaultValue = "1e-4", description = "Initial learning rate (default: ${DEFAULT-VALUE}).")
    double learningRate;

    @Option(names = "--decay-epochs", defaultValue = "250", description = "Epochs between learning-rate decays (default: ${DEFAULT-VALUE}).")
    long decayEpochs;

    @Option(names = "--gamma", defaultValue = "0.5", description = "Learning-rate decay factor (default: ${DEFAULT-VALUE}).")
    double gamma;

    @Option(names = "--epoch-iterations", defaultValue = "1000", description = "Iterations per epoch (default: ${DEFAULT-VALUE}, as EDSR).")
    long epochIterations;

    @Option(names = "--epochs", defaultValue = "1000", description = "Length of the run in epochs (default: ${DEFAULT-VALUE}).")
    long epochs;

    @Option(names = "--iterations", description = "Length of the run in iterations (overrides --epochs).")
    Long iterations;

    @Option(names = "--beta1", defaultValue = "0.9", description = "Adam beta1 (default: ${DEFAULT-VALUE}).")
    double beta1;

    @Option(names = "--beta2", defaultValue = "0.999", description = "Adam beta2 (default: ${DEFAULT-VALUE}).")
    double beta2;

    @Option(names = "--eps", defaultValue = "1e-8", description = "Adam epsilon (default: ${DEFAULT-VALUE}).")
    double eps;

    @Option(names = "--val-every", defaultValue = "1000", description = "Iterations between validations (default: ${DEFAULT-VALUE}).")
    int validateEvery;

    @Option(names = "--checkpoint-every", defaultValue = "500", description = "Iterations between checkpoints (default: ${DEFAULT-VALUE}).")
    int checkpointEvery;

    @Option(names = "--log-every", defaultValue = "50", description = "Iterations between log lines (default: ${DEFAULT-VALUE}).")
    int logEvery;

    @Option(names = "--seed", defaultValue = "1", description = "Seed of initialisation and patch sampling (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--sampler-threads", defaultValue = "1", description = "Background patch-sampling threads (default: ${DEFAULT-VALUE}).")
    int samplerThreads;

    @Option(names = "--prefetch", defaultValue = "8", description = "Batches prepared ahead (default: ${DEFAULT-VALUE}).")
    int prefetch;

    @Mixin
    ThreadsOption threads;

    @Option(names = "--cache-dir", paramLabel = "DIR", description = "Cache of decoded images (default: OUT/data-cache).")
    Path cacheDir;

    @Option(names = "--no-cache", description = "Keep decoded images in memory only.")
    boolean noCache;

    @Option(names = "--loss-scale", defaultValue = "65536", description = "Initial fp16 loss scale (default: ${DEFAULT-VALUE}).")
    double lossScale;

    @Option(names = "--blocks", description = "Override the variant's number of blocks (experiments).")
    Integer blocks;

    @Option(names = "--features", description = "Override the variant's feature channels (experiments).")
    Integer features;

    @Option(names = "--no-progress", description = "No progress bar.")
    boolean noProgress;

    @Option(names = "--world-size", defaultValue = "1",
            description = "Data-parallel processes on this node, one per device (default: ${DEFAULT-VALUE}). Start one"
                    + " process per rank with the same options and its own --rank and --device.")
    int worldSize;

    @Option(names = "--local-replicas", defaultValue = "1", paramLabel = "N",
            description = "Start N data-parallel processes on this node, replica r on cuda:r (with --device cuda) or"
                    + " all on the CPU (--device cpu), and wait for them: forwards SIGTERM, exits with their code.")
    int localReplicas;

    @Option(names = "--rank", defaultValue = "0", description = "This process's rank, 0..world-size-1; rank 0 writes the run folder.")
    int rank;

    @Option(names = "--dist-port", defaultValue = "29500",
            description = "Loopback port of the rendezvous store rank 0 serves (default: ${DEFAULT-VALUE}).")
    int distPort;

    /**
     * The device to train on: as given, with {@code auto} resolved (cuda:0 when LibTorch sees a GPU, else cpu).
     */
    String device() {
        ComputeDevice given = ComputeDevice.parse(devices.device());
        return given.kind() == ComputeDevice.Kind.AUTO ? given.resolve().toString() : devices.device().strip();
    }

    /** {@code --device} for {@code --local-replicas}: cpu or cuda, with {@code auto} resolved. */
    String replicaDevice() {
        ComputeDevice given = ComputeDevice.parse(devices.device());
        if (given.kind() != ComputeDevice.Kind.AUTO) {
            return devices.device().strip();
        }
        return given.resolve().isCuda() ? "cuda" : "cpu";
    }

    /**
     * The precision to train in on {@code device}: as given, with {@code auto} resolved by the inference rules
     * ({@link Precision#forDevice}: fp16 on CUDA, bf16 on a CPU with native bf16, else
     * fp32).
     */
    Precision precision(String device) {
        return Precision.resolve(devices.precision(), ComputeDevice.parse(device));
    }

    /** The network {@code --model} names; a Java baseline cannot be trained. */
    String network() {
        return Upscalers.network(model.model()).orElseThrow(() -> new IllegalArgumentException("oisr train trains a"
                + " network, not " + model.model() + " (expected one of " + Variant.names() + ")")).cliName();
    }

    /** The options as a validated configuration; bad values raise {@link IllegalArgumentException}. */
    public TrainConfig toConfig() {
        if (epochIterations < 1 || decayEpochs < 1 || epochs < 1) {
            throw new IllegalArgumentException("--epoch-iterations, --decay-epochs and --epochs must be at least 1");
        }
        String device = device();
        return TrainConfig.builder()
                .model(network()).blocks(Optional.ofNullable(blocks)).features(Optional.ofNullable(features))
                .scale(model.scale())
                .data(data).dataRange(Optional.ofNullable(dataRange).map(DataRange::parse)).validation(validation)
                .out(out).device(device).resume(ResumeMode.parse(resume)).init(Optional.ofNullable(init))
                .precision(precision(device)).channelsLast(channelsLast)
                .patch(patch).batch(batch).augment(!noAugment)
                .learningRate(learningRate).decayEvery(Math.multiplyExact(decayEpochs, epochIterations)).gamma(gamma)
                .iterations(iterations != null ? iterations : Math.multiplyExact(epochs, epochIterations))
                .beta1(beta1).beta2(beta2).eps(eps)
                .validateEvery(validateEvery).checkpointEvery(checkpointEvery).logEvery(logEvery).seed(seed)
                .samplerThreads(samplerThreads).prefetch(prefetch).torchThreads(threads.threads())
                .cacheDir(noCache ? Optional.empty() : Optional.of(cacheDir != null ? cacheDir : out.resolve("data-cache")))
                .initialLossScale(lossScale).progressBar(!noProgress)
                .replicas(worldSize == 1 && rank == 0 ? Optional.empty()
                        : Optional.of(new ReplicaSetup(rank, worldSize, distPort)))
                .build();
    }
}
