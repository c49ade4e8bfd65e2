package org.oisrstream.jobs.cli;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Device;
import org.bytedeco.pytorch.InferenceMode;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.oisrstream.jobs.bench.ConvProbe;
import org.oisrstream.jobs.bench.LayerProfile;
import org.oisrstream.jobs.bench.ProcessStats;
import org.oisrstream.model.image.ImageFiles;
import org.oisrstream.model.image.RgbImage;
import org.oisrstream.model.image.YuvMatrix;
import org.oisrstream.model.cli.DeviceOptions;
import org.oisrstream.model.cli.ModelOptions;
import org.oisrstream.model.cli.Options;
import org.oisrstream.model.cli.ThreadsOption;
import org.oisrstream.model.cli.TileOption;
import org.oisrstream.model.cli.TuningOptions;
import org.oisrstream.model.cli.WeightsOption;
import org.oisrstream.model.infer.UpscalerRequest;
import org.oisrstream.model.infer.Upscalers;
import org.oisrstream.model.infer.ImageTensors;
import org.oisrstream.model.infer.ComputeDevice;
import org.oisrstream.model.infer.ExecutionPlan;
import org.oisrstream.model.infer.MemoryLayout;
import org.oisrstream.model.infer.OisrUpscaler;
import org.oisrstream.model.infer.Precision;
import org.oisrstream.model.net.ModelComplexity;
import org.oisrstream.model.net.ModelSpec;
import org.oisrstream.model.quality.QualityMetrics;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code oisr bench}: forward-pass speed of a network against the speed of one plain convolution. */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Measures frames/s and achieved GFLOP/s (2 x the multiply-adds executed / time) of a network's"
                + " forward pass (random weights unless --weights is given), and the GFLOP/s of a single 64->64 3x3 convolution at the same LR size (NCHW and"
                + " channels-last) as the machine's practical ceiling. With --tile N (N > 0) it also reports the PSNR of"
                + " the tiled against the whole-frame output.")
final class BenchCommand implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Mixin
    ModelOptions modelOptions;

    @Mixin
    WeightsOption weightsOption;

    @Mixin
    DeviceOptions deviceOptions;

    @Mixin
    TileOption tileOption;

    @Mixin
    TuningOptions tuningOptions;

    @Mixin
    ThreadsOption threadsOption;

    @Option(names = "--size", defaultValue = "320x180", description = "LR input size WIDTHxHEIGHT (default: ${DEFAULT-VALUE}).")
    String size;

    @Option(names = "--batch", defaultValue = "1", description = "Frames per forward pass (default: ${DEFAULT-VALUE}).")
    int batch;

    @Option(names = "--iterations", defaultValue = "10", description = "Timed forward passes (default: ${DEFAULT-VALUE}).")
    int iterations;

    @Option(names = "--warmup", defaultValue = "2", description = "Untimed forward passes first (default: ${DEFAULT-VALUE}).")
    int warmup;

    @Option(names = "--image", description = "Use this LR image (its size replaces --size) instead of random pixels.")
    Path image;

    @Option(names = "--strip-mb", description = "Working set of one reconstruction strip on the CPU, MiB"
            + " (default: the inference policy's).")
    Integer stripMb;

    @Option(names = "--profile", description = "Also time the trunk (features) and the reconstruction (upsampler and"
            + " last convolution) separately, each against the convolution ceiling.")
    boolean profile;

    @Option(names = "--layers", description = "Also time each kind of operation of the network alone, at its shape"
            + " in the network, times how often a pass runs it: a layer-by-layer table against the ceiling.")
    boolean layers;

    @Option(names = "--layer-by-layer", description = "Run the reconstruction layer by layer, as the paper's code"
            + " does, instead of folded into one convolution (the default; docs/inference.md), to compare the two.")
    boolean layerByLayer;

    @Option(names = "--pipeline", paramLabel = "VIDEO", description = "Instead: run `oisr upscale` on VIDEO (embedded"
            + " Kafka, MiniCluster, ingest, job, assembly) and compare its frames/s with the model alone at the same size"
            + " and precision, in this process (the job's own settings: --layout, --overlap and --threads do not apply)."
            + " See docs/benchmarks.md.")
    Path pipeline;

    @Override
    public Integer call() throws Exception {
        CommandLine cli = spec.commandLine();
        int tile = tileOption.tile(cli);
        if (pipeline != null) {
            return new PipelineBench(request(cli, tile, 1), iterations, warmup).run(cli, pipeline);
        }
        ModelSpec model = modelOptions.network(cli);
        int[] wh = Sizes.parse(cli, "--size", size);
        if (batch < 1 || iterations < 1 || warmup < 0) {
            throw new CommandLine.ParameterException(cli, "--batch and --iterations must be >= 1, --warmup >= 0");
        }
        if (image != null && !Files.isRegularFile(image)) {
            throw new CommandLine.ParameterException(cli, "no such image file: " + image);
        }
        List<RgbImage> frames = image != null ? Collections.nCopies(batch, ImageFiles.read(image))
                : randomFrames(batch, wh[0], wh[1]);
        wh = new int[] {frames.get(0).width(), frames.get(0).height()};
        UpscalerRequest request = request(cli, tile, batch);
        OisrUpscaler.Builder builder = Options.parse(cli, () -> Upscalers.builder(request));
        if (stripMb != null) {
            builder.stripBytes(Math.max(1, (long) stripMb) << 20);
        }
        builder.foldReconstruction(!layerByLayer);
        if (request.weights() == null) {
            builder.randomWeights(1);
        } else {
            builder.weights(Upscalers.weights(request));
        }
        PrintWriter out = cli.getOut();
        try (OisrUpscaler upscaler = Options.parse(cli, builder::build)) {
            Device device = upscaler.device().torchDevice();
            torch.MemoryFormat format = upscaler.layout() == MemoryLayout.CHANNELS_LAST
                    ? torch.MemoryFormat.ChannelsLast : torch.MemoryFormat.Contiguous;
            boolean folded = upscaler.network().reconstructionFolded();
            ModelComplexity complexity = ModelComplexity.of(model);
            long paperMacs = complexity.macsForInput(wh[0], wh[1]) * batch;
            long macs = complexity.executedMacsForInput(wh[0], wh[1], folded) * batch;
            Precision precision = upscaler.precision();
            out.printf(Locale.ROOT, "%s, input %dx%d x %d -> %dx%d, %d intra-op threads, %.1f GMACs per pass as the"
                            + " paper counts them, %.1f executed (reconstruction %s)%n",
                    upscaler.describe(), wh[0], wh[1], batch, wh[0] * model.scale(), wh[1] * model.scale(),
                    torch.get_num_threads(), paperMacs / 1e9, macs / 1e9, folded ? "folded" : "layer by layer");
            out.printf(Locale.ROOT, "plan: %s (%s)%n", upscaler.planFor(batch, wh[0], wh[1]), upscaler.policy());
            out.flush();

            Timing forward;
            try (PointerScope scope = new PointerScope()) {
                Tensor x = ImageTensors.toTensor(frames, device, format);
                forward = time(() -> upscaler.forward(x), upscaler.device());
            }
            out.printf(Locale.ROOT, "forward pass:        %8.3f s/pass  %7.2f frames/s  %7.1f GFLOP/s"
                            + "  (best %.3f s = %.1f GFLOP/s)%n",
                    forward.median(), batch / forward.median(), 2 * macs / forward.median() / 1e9, forward.best(),
                    2 * macs / forward.best() / 1e9);
            out.printf(Locale.ROOT, "  per pass: user CPU %.2f s, system CPU %.2f s (%.1f%% of user), %d minor page"
                            + " faults; peak RSS %d MiB%n", forward.user(), forward.system(),
                    100 * forward.system() / Math.max(1e-9, forward.user()), forward.faults(),
                    ProcessStats.now().peakResidentBytes() >> 20);

            Timing endToEnd = time(() -> {
                upscaler.upscale(frames);
                return null;
            }, upscaler.device());
            out.printf(Locale.ROOT, "with image I/O:      %8.3f s/pass  %7.2f frames/s  (uint8 RGB in and out)%n",
                    endToEnd.median(), batch / endToEnd.median());
            Timing toYuv = time(() -> upscaler.upscaleYuv420(frames, YuvMatrix.BT709), upscaler.device());
            out.printf(Locale.ROOT, "to Y'CbCr 4:2:0:     %8.3f s/pass  %7.2f frames/s  (uint8 RGB in, yuv420p planes"
                    + " out, as the streaming job feeds its encoder)%n", toYuv.median(), batch / toYuv.median());
            out.flush();

            Timing ceiling = convCeilings(upscaler, wh, out);
            double ceilingFlops = 2.0 * 64 * 64 * 9 * wh[0] * wh[1] * batch / ceiling.median();
            out.printf(Locale.ROOT, "network / ceiling:   %.1f%% (%s, %s)%n",
                    100 * (2 * macs / forward.median()) / ceilingFlops, upscaler.layout(), precision);
            if (profile) {
                profileStages(upscaler, frames, model, wh, ceilingFlops, folded, out);
            }
            if (layers) {
                LayerProfile layerProfile = new LayerProfile(upscaler.network(), device, precision.scalarType(),
                        format, wh[0], wh[1], pass -> time(pass, upscaler.device()).median());
                LayerProfile.print(layerProfile.measure(), ceilingFlops, forward.median(), out);
            }
            if (tile > 0) {
                compareWithUntiled(builder, upscaler, frames.get(0), out);
            }
            convCeilings(upscaler, wh, out);
            out.flush();
        }
        return 0;
    }

    /** The network's request from the shared options: every frame of a timed pass in one batch. */
    private UpscalerRequest request(CommandLine cli, int tile, int maxBatch) {
        return Options.parse(cli, () -> UpscalerRequest.builder(modelOptions.model(), modelOptions.scale())
                .weights(weightsOption.weights()).device(deviceOptions.device(cli).toString())
                .precision(deviceOptions.precision(cli)).tile(tile).maxBatch(maxBatch)
                .overlap(tuningOptions.overlap(cli)).layout(tuningOptions.layout(cli))
                .threads(threadsOption.threads(cli)).build());
    }

    private static void compareWithUntiled(OisrUpscaler.Builder builder, OisrUpscaler tiled, RgbImage frame,
                                           PrintWriter out) {
        try (OisrUpscaler whole = builder.tile(0).build()) {
            RgbImage reference = whole.upscale(frame);
            RgbImage result = tiled.upscale(frame);
            byte[] a = reference.pixels();
            byte[] b = result.pixels();
            int maxDiff = 0;
            long differing = 0;
            for (int i = 0; i < a.length; i++) {
                int d = Math.abs((a[i] & 0xff) - (b[i] & 0xff));
                maxDiff = Math.max(maxDiff, d);
                differing += d == 0 ? 0 : 1;
            }
            double psnr = QualityMetrics.psnrRgb(reference, result);
            out.printf(Locale.ROOT, "tiled vs untiled:    PSNR %.2f dB, max |diff| %d, %.4f%% of samples differ (%s)%n",
                    psnr, maxDiff, 100.0 * differing / a.length, tiled.planFor(1, frame.width(), frame.height()));
        }
    }

    /**
     * Times and prints the plain convolution in both layouts (at the upscaler's precision); returns the timing in the
     * upscaler's layout, the ceiling its network is measured against.
     */
    private Timing convCeilings(OisrUpscaler upscaler, int[] wh, PrintWriter out) {
        Timing ceiling = null;
        for (MemoryLayout layout : List.of(MemoryLayout.NCHW, MemoryLayout.CHANNELS_LAST)) {
            Timing conv = convCeiling(upscaler, wh, layout);
            double convFlops = 2.0 * 64 * 64 * 9 * wh[0] * wh[1] * batch;
            out.printf(Locale.ROOT, "64->64 3x3 conv %-13s %8.4f s  %7.1f GFLOP/s (%s; best %.1f GFLOP/s)%n",
                    layout + ":", conv.median(), convFlops / conv.median() / 1e9, upscaler.precision(),
                    convFlops / conv.best() / 1e9);
            if (layout == upscaler.layout()) {
                ceiling = conv;
            }
        }
        return ceiling;
    }

    private Timing convCeiling(OisrUpscaler upscaler, int[] wh, MemoryLayout layout) {
        torch.MemoryFormat format = layout == MemoryLayout.CHANNELS_LAST
                ? torch.MemoryFormat.ChannelsLast : torch.MemoryFormat.Contiguous;
        return new ConvProbe(64, 64, 3, batch, wh[0], wh[1]).time(upscaler.device().torchDevice(),
                upscaler.precision().scalarType(), format, pass -> time(pass, upscaler.device()));
    }

    /**
     * Times the trunk ({@code OisrNet.features}) and the reconstruction on whole frames and in the plan's strips,
     * each as GFLOP/s and as a share of the convolution ceiling, so the gap between the network and the ceiling can
     * be located (docs/benchmarks.md).
     */
    private void profileStages(OisrUpscaler upscaler, List<RgbImage> frames, ModelSpec model, int[] wh,
                               double ceilingFlops, boolean folded, PrintWriter out) {
        ModelComplexity complexity = ModelComplexity.of(model);
        double trunkFlops = 2.0 * complexity.trunkMacsForInput(wh[0], wh[1]) * batch;
        double reconstructionFlops = 2.0 * batch * (folded ? complexity.foldedReconstructionMacsForInput(wh[0], wh[1])
                : complexity.reconstructionMacsForInput(wh[0], wh[1]));
        ExecutionPlan plan = upscaler.planFor(batch, wh[0], wh[1]);
        torch.MemoryFormat format = upscaler.layout().memoryFormat();
        try (PointerScope scope = new PointerScope(); InferenceMode mode = new InferenceMode()) {
            Tensor x = ImageTensors.toTensor(frames, upscaler.device().torchDevice(), format);
            Tensor features = upscaler.network().features(x);
            Timing trunk = time(() -> upscaler.network().features(x), upscaler.device());
            Timing whole = time(() -> upscaler.network().reconstruct(features), upscaler.device());
            Timing strips = time(() -> plan.reconstruction().apply(upscaler.network()::reconstruct, features,
                    model.scale(), format), upscaler.device());
            Timing toImages = time(() -> ImageTensors.toImages(upscaler.network().reconstruct(features)),
                    upscaler.device());
            out.printf(Locale.ROOT, "  trunk:               %8.3f s  %7.1f GFLOP/s  %5.1f%% of ceiling; system CPU %.2f s,"
                            + " %d faults%n", trunk.median(), trunkFlops / trunk.median() / 1e9,
                    100 * trunkFlops / trunk.median() / ceilingFlops, trunk.system(), trunk.faults());
            out.printf(Locale.ROOT, "  reconstruction whole:%8.3f s  %7.1f GFLOP/s  %5.1f%% of ceiling; system CPU %.2f s,"
                            + " %d faults%n", whole.median(), reconstructionFlops / whole.median() / 1e9,
                    100 * reconstructionFlops / whole.median() / ceilingFlops, whole.system(), whole.faults());
            out.printf(Locale.ROOT, "  reconstruction %-5s:%8.3f s  %7.1f GFLOP/s  (%s); system CPU %.2f s, %d faults%n",
                    "plan", strips.median(), reconstructionFlops / strips.median() / 1e9, plan.reconstruction(),
                    strips.system(), strips.faults());
            out.printf(Locale.ROOT, "  + output to 8-bit:   %8.3f s (reconstruction whole and conversion)%n",
                    toImages.median());
        }
    }

    /**
     * Wall-clock seconds of the timed runs (median and best), and per run (median) the process's user and system
     * CPU seconds and minor page faults.
     */
    record Timing(double median, double best, double user, double system, long faults) {
    }

    /** Times {@code iterations} runs after {@code warmup} untimed ones. */
    private Timing time(Supplier<?> pass, ComputeDevice device) {
        return time(pass, device, warmup, iterations);
    }

    static Timing time(Supplier<?> pass, ComputeDevice device, int warmup, int iterations) {
        List<Double> runs = new ArrayList<>();
        List<Double> user = new ArrayList<>();
        List<Double> system = new ArrayList<>();
        List<Double> faults = new ArrayList<>();
        for (int i = 0; i < warmup + iterations; i++) {
            try (PointerScope scope = new PointerScope(); InferenceMode mode = new InferenceMode()) {
                ProcessStats before = ProcessStats.now();
                long start = System.nanoTime();
                pass.get();
                if (device.isCuda()) {
                    torch.cuda_synchronize();
                }
                if (i >= warmup) {
                    runs.add((System.nanoTime() - start) / 1e9);
                    ProcessStats used = ProcessStats.now().since(before);
                    user.add(used.userSeconds());
                    system.add(used.systemSeconds());
                    faults.add((double) used.minorFaults());
                }
            }
        }
        return new Timing(median(runs), runs.stream().mapToDouble(Double::doubleValue).min().orElseThrow(),
                median(user), median(system), Math.round(median(faults)));
    }

    static double median(List<Double> values) {
        List<Double> sorted = new ArrayList<>(values);
        sorted.sort(null);
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }

    static List<RgbImage> randomFrames(int count, int width, int height) {
        Random random = new Random(7);
        List<RgbImage> frames = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            byte[] pixels = new byte[width * height * 3];
            random.nextBytes(pixels);
            frames.add(new RgbImage(width, height, pixels));
        }
        return frames;
    }
}
