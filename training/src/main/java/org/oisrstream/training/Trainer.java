package org.oisrstream.training;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jdk8.Jdk8Module;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import me.tongfei.progressbar.DelegatingProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Device;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.oisrstream.model.data.EvalSet;
import org.oisrstream.model.eval.Evaluator;
import org.oisrstream.model.infer.ComputeDevice;
import org.oisrstream.model.net.Architecture;
import org.oisrstream.model.net.HostTensors;
import org.oisrstream.model.net.OisrNet;
import org.oisrstream.model.weights.DType;
import org.oisrstream.model.weights.HostTensor;
import org.oisrstream.model.weights.Safetensors;
import org.oisrstream.model.weights.StateDict;
import org.oisrstream.training.checkpoint.Checkpoint;
import org.oisrstream.training.checkpoint.CheckpointStore;
import org.oisrstream.training.checkpoint.TrainingState;
import org.oisrstream.training.checkpoint.WeightsExport;
import org.oisrstream.training.data.BatchPrefetcher;
import org.oisrstream.training.data.PairSet;
import org.oisrstream.training.data.PatchBatch;
import org.oisrstream.training.data.PatchSampler;
import org.oisrstream.training.distributed.DataParallelGroup;
import org.oisrstream.training.distributed.ReplicaSetup;
import org.oisrstream.training.monitor.CurvePlot;
import org.oisrstream.training.monitor.LogEntry;
import org.oisrstream.training.monitor.MetricsLog;
import org.oisrstream.training.optim.AdamOptimizer;
import org.oisrstream.training.optim.LossScaler;
import org.oisrstream.training.optim.StepDecaySchedule;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The training job: loads the data once, builds (or resumes) the network and optimizer, and runs the iterations
 * with background patch sampling, periodic logging, validation, plotting and checkpoints.
 *
 * <p>Run folder: {@code config.json}, {@code log.jsonl}, {@code curve.png}, {@code best.safetensors} (weights of
 * the best checkpoint, ready to ship), {@code checkpoints/} (see {@link CheckpointStore}), {@code data-cache/}.
 */
public final class Trainer {

    private static final Logger LOG = LoggerFactory.getLogger(Trainer.class);
    /** How long replicas wait for each other: to join, and at a step while rank 0 validates or checkpoints. */
    private static final java.time.Duration REPLICA_TIMEOUT = java.time.Duration.ofMinutes(30);
    private static final ObjectMapper JSON = new ObjectMapper().registerModule(new Jdk8Module())
            .enable(SerializationFeature.INDENT_OUTPUT);

    private final TrainConfig config;
    private final Architecture architecture;
    private final Device device;
    private final CheckpointStore store;
    /** Rank 0 (or the only process): the one that validates and writes the run folder. */
    private final boolean leader;

    private OisrNet network;
    private AdamOptimizer optimizer;
    private LossScaler lossScaler;
    private long step;
    private long seed;
    private Double bestPsnr;
    private Long bestStep;
    private Map<String, Double> lastValidation = Map.of();
    private Path lastCheckpoint;

    private Trainer(TrainConfig config) {
        this.config = config;
        this.architecture = config.architecture();
        this.device = ComputeDevice.parse(config.device()).resolve().torchDevice();
        this.store = new CheckpointStore(config.out());
        this.seed = config.seed();
        this.leader = config.replicas().map(ReplicaSetup::leader).orElse(true);
    }

    public static TrainSummary run(TrainConfig config) throws IOException {
        return new Trainer(config).train();
    }

    private TrainSummary train() throws IOException {
        Files.createDirectories(config.out());
        boolean resuming = resuming();
        if (config.torchThreads() > 0) {
            torch.set_num_threads(config.torchThreads());
        }
        PairSet trainSet = TrainingData.trainingSet(config);
        List<EvalSet> validationSets = leader ? TrainingData.validationSets(config) : List.of();

        buildModel(!resuming);
        Optional<Checkpoint> resumed = resuming ? store.loadLast() : Optional.empty();
        resumed.ifPresent(this::restore);
        if (leader) {
            writeConfig(trainSet, validationSets);
        }

        PatchSampler sampler = new PatchSampler(trainSet, config.batch(), config.patch(), seed, config.augment());
        StepDecaySchedule schedule = new StepDecaySchedule(config.learningRate(), config.decayEvery(), config.gamma());
        TrainingStep trainingStep = new TrainingStep(network, optimizer, config.precision(), config.channelsLast(),
                device, lossScaler);
        try (DataParallelGroup replicas = config.replicas().map(r -> DataParallelGroup.join(r, REPLICA_TIMEOUT))
                .orElse(null)) {
            if (replicas != null) {
                sampler = replicate(sampler, replicas, trainingStep);
            }
            LOG.info("training {} on {} ({} images, {} HR megapixels) from iteration {} to {}: batch {} x {}x{} LR,"
                            + " {}, {}, lr {} halved every {} iterations", architecture.describe(), config.device(),
                    trainSet.pairs().size(), String.format("%.1f", trainSet.hrPixels() / 1e6), step,
                    config.iterations(), config.batch(), config.patch(), config.patch(), config.precision(),
                    config.channelsLast() ? "channels-last" : "NCHW", config.learningRate(), config.decayEvery());
            return loop(sampler, schedule, trainingStep, validationSets);
        }
    }

    /** Whether this start continues the run in {@code out}; refuses what {@link ResumeMode} forbids. */
    private boolean resuming() throws IOException {
        boolean hasCheckpoint = store.pointer(CheckpointStore.LAST).isPresent();
        if (config.resume() == ResumeMode.ALWAYS && !hasCheckpoint) {
            throw new IllegalArgumentException("nothing to resume: " + store.root().resolve(CheckpointStore.LAST)
                    + " does not exist");
        }
        if (config.resume() == ResumeMode.NEVER && hasCheckpoint) {
            throw new IllegalArgumentException(config.out() + " already holds a run; pass --resume to continue it"
                    + " or choose another --out");
        }
        return hasCheckpoint && config.resume() != ResumeMode.NEVER;
    }

    /** This replica's shard of the batches, the leader's initial weights, and gradient averaging at every step. */
    private PatchSampler replicate(PatchSampler sampler, DataParallelGroup replicas, TrainingStep trainingStep) {
        PatchSampler shard = sampler.shard(replicas.setup().rank(), replicas.setup().worldSize());
        replicas.broadcastFromLeader(network.trainableParameters());
        trainingStep.replicatedOver(replicas);
        LOG.info("rank {} of {}: {} patches of each batch of {}", replicas.setup().rank(),
                replicas.setup().worldSize(), shard.batchSize(), config.batch());
        return shard;
    }

    /**
     * The iterations. SIGTERM/SIGINT only set a flag ({@link StopSignals}); the loop finishes its step, saves a
     * checkpoint and returns with {@code interrupted}. If the JVM shuts down some other way, {@link CheckpointOnExit}
     * sets the same flag and waits (bounded) for that checkpoint.
     */
    private TrainSummary loop(PatchSampler sampler, StepDecaySchedule schedule, TrainingStep trainingStep,
                              List<EvalSet> validationSets) throws IOException {
        long startStep = step;
        long runStart = System.nanoTime();
        try (StopSignals stop = StopSignals.install();
             MetricsLog log = leader ? MetricsLog.open(config.out().resolve("log.jsonl"), step) : null;
             BatchPrefetcher prefetcher = new BatchPrefetcher(sampler, step, config.samplerThreads(), config.prefetch());
             ProgressBar bar = progressBar();
             CheckpointOnExit onExit = CheckpointOnExit.install(stop)) {
            LossWindow window = new LossWindow(prefetcher::waitNanos);
            double recentLoss = Double.NaN;
            boolean stopping = false;
            while (step < config.iterations() && !stopping) {
                double lr = schedule.at(step);
                TrainingStep.Outcome outcome = step(trainingStep, prefetcher.next(), lr, stop);
                // Data-parallel replicas must agree on when to stop; a single process just looks at its flag.
                stopping = config.replicas().isPresent() ? outcome.stop() : stop.requested();
                window.add(outcome.loss());
                if (step % config.logEvery() == 0 || step == config.iterations()) {
                    recentLoss = logWindow(window.close(), lr, log, bar);
                }
                bar.stepTo(step);
                if (leader) {
                    validateAndCheckpoint(validationSets, schedule, log, stopping);
                }
                if (leader && !stopping && step % config.logEvery() == 0) {
                    plot(log);
                }
            }
            boolean interrupted = stopping && step < config.iterations();
            if (interrupted) {
                LOG.info("stopped at iteration {} (checkpoint saved); the next start continues from it", step);
            }
            if (leader) {
                plot(log);
            }
            return summary(startStep, runStart, recentLoss, prefetcher.waitNanos(), interrupted);
        }
    }

    /** One training step on {@code batch}; the stop request goes along so data-parallel replicas can agree on it. */
    private TrainingStep.Outcome step(TrainingStep trainingStep, PatchBatch batch, double lr, StopSignals stop) {
        long recomputedBefore = trainingStep.recomputedSteps();
        TrainingStep.Outcome outcome = trainingStep.run(batch, lr, stop.requested());
        step++;
        if (trainingStep.recomputedSteps() != recomputedBefore) {
            LOG.warn("iteration {}: oneDNN's convolution backward gave non-finite gradients; the step was "
                    + "recomputed on LibTorch's own kernels ({} such steps in this run)", step,
                    trainingStep.recomputedSteps());
        }
        return outcome;
    }

    /** Writes a closed loss window to the log (leader) and the progress bar; returns its mean loss. */
    private double logWindow(LossWindow.Stats window, double lr, MetricsLog log, ProgressBar bar) throws IOException {
        if (leader) {
            log.append(LogEntry.train(step, Instant.now().toString(), window.meanLoss(), window.steps(), lr,
                    window.secondsPerStep(), window.dataWaitShare()));
        }
        bar.setExtraMessage(String.format(" loss %.3f, data wait %.1f%%%s", window.meanLoss(),
                100 * window.dataWaitShare(), bestPsnr == null ? "" : String.format(", best %.2f dB", bestPsnr)));
        return window.meanLoss();
    }

    /**
     * Validates when it is due (every {@code validateEvery} steps and at the end), then checkpoints when it is due,
     * when validation found a new best, at the end, or when the run is stopping.
     */
    private void validateAndCheckpoint(List<EvalSet> validationSets, StepDecaySchedule schedule, MetricsLog log,
                                       boolean stopping) throws IOException {
        boolean last = step == config.iterations();
        boolean improved = !validationSets.isEmpty() && (step % config.validateEvery() == 0 || last)
                && validate(validationSets, log);
        if (step % config.checkpointEvery() == 0 || improved || last || stopping) {
            saveCheckpoint(schedule, improved);
        }
    }

    private TrainSummary summary(long startStep, long runStart, double recentLoss, long waitNanos,
                                 boolean interrupted) {
        long steps = step - startStep;
        double seconds = (System.nanoTime() - runStart) / 1e9;
        double secondsPerStep = steps == 0 ? 0 : seconds / steps;
        double waitShare = steps == 0 ? 0 : waitNanos / 1e9 / seconds;
        LOG.info("{}: {} iterations, {} s/step, {}% of step time waiting for data, best {} dB at {}",
                interrupted ? "interrupted" : "done", step, String.format("%.3f", secondsPerStep),
                String.format("%.2f", 100 * waitShare), bestPsnr, bestStep);
        return new TrainSummary(step, recentLoss, lastValidation, bestPsnr, bestStep, lastCheckpoint,
                secondsPerStep, waitShare, interrupted);
    }

    private void buildModel(boolean fresh) throws IOException {
        torch.manual_seed(seed);
        if (!device.is_cpu()) {
            torch.cuda_manual_seed_all(seed);
        }
        network = new OisrNet(architecture);
        if (fresh && config.init().isPresent()) {
            InitialWeights.load(network, config.init().get());
        }
        if (!device.is_cpu()) {
            network.to(device, false);
        }
        network.setWeightMemoryFormat(config.layout().memoryFormat());
        optimizer = new AdamOptimizer(network.namedTrainableParameters(),
                new AdamOptimizer.Hyper(config.beta1(), config.beta2(), config.eps()));
        lossScaler = new LossScaler(config.initialLossScale(), 2000);
    }

    private void restore(Checkpoint checkpoint) {
        TrainingState state = checkpoint.state();
        if (!state.model().equals(architecture.describe()) || state.scale() != config.scale()) {
            throw new IllegalArgumentException("checkpoint " + checkpoint.directory() + " is for " + state.model()
                    + ", this run trains " + architecture.describe());
        }
        network.load(checkpoint.model());
        Map<String, Tensor> first = new LinkedHashMap<>();
        Map<String, Tensor> second = new LinkedHashMap<>();
        for (String name : optimizer.parameterNames()) {
            HostTensor m = checkpoint.optimizer().tensors().get("exp_avg/" + name);
            HostTensor v = checkpoint.optimizer().tensors().get("exp_avg_sq/" + name);
            if (m == null || v == null) {
                throw new IllegalArgumentException("checkpoint " + checkpoint.directory()
                        + " has no optimizer state for " + name);
            }
            first.put(name, HostTensors.toTorch(m));
            second.put(name, HostTensors.toTorch(v));
        }
        optimizer.restore(state.adamSteps(), first, second);
        lossScaler.restore(state.lossScale(), state.lossScaleGoodSteps());
        step = state.step();
        if (state.seed() != seed) {
            LOG.warn("resuming with the checkpoint's seed {} (not {}) so the patch stream continues", state.seed(), seed);
            seed = state.seed();
        }
        bestPsnr = state.bestPsnr();
        bestStep = state.bestStep();
        lastValidation = state.validation() == null ? Map.of() : state.validation();
        lastCheckpoint = checkpoint.directory();
        LOG.info("resumed from {} at iteration {} (best {} dB at {})", checkpoint.directory(), step, bestPsnr, bestStep);
    }

    /** Validates on every set; true if the first set's PSNR is the best so far. */
    private boolean validate(List<EvalSet> sets, MetricsLog log) throws IOException {
        long start = System.nanoTime();
        ValidationUpscaler upscaler = new ValidationUpscaler(network, device, config.layout().memoryFormat());
        Map<String, Double> psnr = new LinkedHashMap<>();
        for (EvalSet set : sets) {
            psnr.put(set.name(), Evaluator.evaluate(upscaler, set, config.scale()).mean().psnr());
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        lastValidation = psnr;
        log.append(LogEntry.validation(step, Instant.now().toString(), psnr, seconds));
        double selector = psnr.values().iterator().next();
        boolean improved = bestPsnr == null || selector > bestPsnr;
        if (improved) {
            bestPsnr = selector;
            bestStep = step;
        }
        LOG.info("iteration {}: validation {} ({} s){}", step, format(psnr), String.format("%.1f", seconds),
                improved ? ", new best" : "");
        return improved;
    }

    private void saveCheckpoint(StepDecaySchedule schedule, boolean best) throws IOException {
        StateDict model = network.stateDict().withMetadata(provenance());
        TrainingState state = TrainingState.builder()
                .network(architecture.describe(), config.scale())
                .progress(step, seed)
                .adamSteps(optimizer.stepCount())
                .learningRate(schedule.at(step),
                        new TrainingState.Schedule(schedule.base(), schedule.decayEvery(), schedule.gamma()))
                .precision(config.precision().toString())
                .lossScale(lossScaler.scale(), lossScaler.goodSteps())
                .best(bestPsnr, bestStep)
                .validation(lastValidation)
                .build();
        lastCheckpoint = store.save(model, optimizerState(), state, best);
        if (best) {
            Safetensors.write(model, config.out().resolve("best.safetensors"), DType.F32);
        }
    }

    /** Adam's moments as host tensors ({@code exp_avg/NAME}, {@code exp_avg_sq/NAME}) and its step count. */
    private StateDict optimizerState() {
        Map<String, HostTensor> moments = new LinkedHashMap<>();
        try (PointerScope scope = new PointerScope()) {
            optimizer.firstMoments().forEach((name, t) -> moments.put("exp_avg/" + name, HostTensors.toHost(t)));
            optimizer.secondMoments().forEach((name, t) -> moments.put("exp_avg_sq/" + name, HostTensors.toHost(t)));
        }
        return new StateDict(moments, Map.of("adam_steps", Long.toString(optimizer.stepCount())));
    }

    /** Where the weights come from, as safetensors metadata of each checkpoint's model and of best.safetensors. */
    private Map<String, String> provenance() {
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put(WeightsExport.NETWORK, architecture.describe());
        meta.put(WeightsExport.STEP, Long.toString(step));
        String data = String.join(", ", config.data().stream().map(Path::toString).toList());
        meta.put(WeightsExport.DATA, config.dataRange().map(r -> data + " (images " + r.train()
                + r.validation().map(v -> ", validation " + v).orElse("") + ")").orElse(data));
        meta.put(WeightsExport.VALIDATION, format(lastValidation));
        if (bestPsnr != null) {
            meta.put(WeightsExport.BEST_PSNR, String.format(java.util.Locale.ROOT, "%.4f", bestPsnr));
            meta.put(WeightsExport.BEST_STEP, String.valueOf(bestStep));
        }
        return meta;
    }

    private void plot(MetricsLog log) {
        try {
            CurvePlot.write(log.entries(), architecture.describe(), config.out().resolve("curve.png"));
        } catch (IOException | RuntimeException e) {
            LOG.warn("could not draw {}: {}", config.out().resolve("curve.png"), e.toString());
        }
    }

    private void writeConfig(PairSet trainSet, List<EvalSet> validationSets) throws IOException {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("architecture", architecture.describe());
        doc.put("config", config);
        doc.put("trainImages", trainSet.pairs().size());
        doc.put("skippedImages", trainSet.skipped().stream().map(Object::toString).toList());
        doc.put("validationSets", validationSets.stream().map(s -> s.name() + " (" + s.layout() + ")").toList());
        doc.put("startedAt", Instant.now().toString());
        doc.put("startStep", step);
        Files.write(config.out().resolve("config.json"), JSON.writeValueAsBytes(doc));
    }

    private ProgressBar progressBar() {
        ProgressBarBuilder builder = new ProgressBarBuilder().setTaskName(architecture.describe())
                .setInitialMax(config.iterations()).startsFrom(step, java.time.Duration.ZERO).showSpeed()
                .setUnit(" it", 1).setSpeedUnit(java.time.temporal.ChronoUnit.SECONDS);
        if (!config.progressBar() || !leader) {
            builder.setConsumer(new DelegatingProgressBarConsumer(line -> { }));
        } else if (System.console() == null) {
            // Not a terminal (nohup, CI): a plain line now and then instead of carriage-return redraws.
            builder.setStyle(ProgressBarStyle.ASCII)
                    .setConsumer(new DelegatingProgressBarConsumer(System.out::println)).setUpdateIntervalMillis(60_000);
        }
        return builder.build();
    }

    private static String format(Map<String, Double> psnr) {
        StringBuilder b = new StringBuilder();
        psnr.forEach((k, v) -> b.append(b.length() == 0 ? "" : ", ").append(k).append(' ')
                .append(String.format("%.2f dB", v)));
        return b.toString();
    }
}
