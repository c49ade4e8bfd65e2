package org.oisrstream.jobs.cli;

import java.io.IOException;
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
import org.bytedeco.javacpp.LongPointer;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Conv2dImpl;
import org.bytedeco.pytorch.Conv2dOptions;
import org.bytedeco.pytorch.Device;
import org.bytedeco.pytorch.InferenceMode;
import org.bytedeco.pytorch.MemoryFormatOptional;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.oisrstream.model.image.ImageFiles;
import org.oisrstream.model.image.RgbImage;
import org.oisrstream.model.infer.ImageTensors;
import org.oisrstream.model.infer.ComputeDevice;
import org.oisrstream.model.infer.MemoryLayout;
import org.oisrstream.model.infer.OisrUpscaler;
import org.oisrstream.model.infer.Precision;
import org.oisrstream.model.net.ModelComplexity;
import org.oisrstream.model.net.ModelSpec;
import org.oisrstream.model.weights.StateDict;
import org.oisrstream.model.weights.WeightsFiles;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code oisr bench}: forward-pass speed of a network against the speed of one plain convolution. */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Measures frames/s and achieved GFLOP/s (2 x MACs / time) of a network's forward pass with random"
                + " weights, and the GFLOP/s of a single 64->64 3x3 convolution at the same LR size (NCHW and"
                + " channels-last) as the machine's practical ceiling.")
final class BenchCommand implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Mixin
    ModelOptions modelOptions;

    @Option(names = "--size", defaultValue = "320x180", description = "LR input size WIDTHxHEIGHT (default: ${DEFAULT-VALUE}).")
    String size;

    @Option(names = "--batch", defaultValue = "1", description = "Frames per forward pass (default: ${DEFAULT-VALUE}).")
    int batch;

    @Option(names = "--iterations", defaultValue = "10", description = "Timed forward passes (default: ${DEFAULT-VALUE}).")
    int iterations;

    @Option(names = "--warmup", defaultValue = "2", description = "Untimed forward passes first (default: ${DEFAULT-VALUE}).")
    int warmup;

    @Option(names = "--tile", defaultValue = "0", description = "Tile side in LR pixels, 0 = whole frame (default: ${DEFAULT-VALUE})."
            + " With a tile, also reports PSNR of the tiled against the untiled output.")
    int tile;

    @Option(names = "--overlap", defaultValue = "16", description = "LR pixels of context around each tile (default: ${DEFAULT-VALUE}).")
    int overlap;

    @Option(names = "--image", description = "Use this LR image (its size replaces --size) instead of random pixels.")
    Path image;

    @Option(names = {"-w", "--weights"}, description = "Weights file; default: random PyTorch-style initialisation.")
    Path weights;

    @Override
    public Integer call() throws IOException {
        CommandLine cli = spec.commandLine();
        ModelSpec model = modelOptions.spec(cli);
        int[] wh = Sizes.parse(cli, "--size", size);
        if (batch < 1 || iterations < 1 || warmup < 0 || tile < 0 || overlap < 0) {
            throw new CommandLine.ParameterException(cli,
                    "--batch and --iterations must be >= 1, --warmup, --tile and --overlap >= 0");
        }
        if (image != null && !Files.isRegularFile(image)) {
            throw new CommandLine.ParameterException(cli, "no such image file: " + image);
        }
        List<RgbImage> frames = image != null ? Collections.nCopies(batch, ImageFiles.read(image))
                : randomFrames(batch, wh[0], wh[1]);
        wh = new int[] {frames.get(0).width(), frames.get(0).height()};
        Precision precision = modelOptions.precision(cli);
        OisrUpscaler.Builder builder = OisrUpscaler.builder(model).device(modelOptions.device(cli))
                .precision(precision).layout(modelOptions.layout(cli)).batchSize(batch).tile(tile).overlap(overlap)
                .threads(modelOptions.threads(cli));
        StateDict stateDict = weights == null ? null : WeightsFiles.read(weights);
        if (stateDict == null) {
            builder.randomWeights(1);
        } else {
            builder.weights(stateDict);
        }
        PrintWriter out = cli.getOut();
        try (OisrUpscaler upscaler = ModelOptions.parse(cli, builder::build)) {
            Device device = upscaler.device().torchDevice();
            torch.MemoryFormat format = upscaler.layout() == MemoryLayout.CHANNELS_LAST
                    ? torch.MemoryFormat.ChannelsLast : torch.MemoryFormat.Contiguous;
            long macs = ModelComplexity.of(model).macsForInput(wh[0], wh[1]) * batch;
            out.printf(Locale.ROOT, "%s, input %dx%d x %d -> %dx%d, %d intra-op threads, %.1f GMACs per pass%n",
                    upscaler.describe(), wh[0], wh[1], batch, wh[0] * model.scale(), wh[1] * model.scale(),
                    torch.get_num_threads(), macs / 1e9);
            out.flush();

            Timing forward;
            try (PointerScope scope = new PointerScope()) {
                Tensor x = ImageTensors.toTensor(frames, device, format);
                forward = time(() -> upscaler.forward(x), upscaler.device());
            }
            out.printf(Locale.ROOT, "forward pass:        %8.3f s/pass  %7.2f frames/s  %7.1f GFLOP/s"
                            + "  (best %.3f s = %.1f GFLOP/s; process CPU %.2f s/pass)%n",
                    forward.median(), batch / forward.median(), 2 * macs / forward.median() / 1e9, forward.best(),
                    2 * macs / forward.best() / 1e9, forward.cpu());

            Timing endToEnd = time(() -> {
                upscaler.upscale(frames);
                return null;
            }, upscaler.device());
            out.printf(Locale.ROOT, "with image I/O:      %8.3f s/pass  %7.2f frames/s  (uint8 RGB in and out)%n",
                    endToEnd.median(), batch / endToEnd.median());

            if (tile > 0) {
                compareWithUntiled(builder, upscaler, frames.get(0), out);
            }
            for (MemoryLayout layout : List.of(MemoryLayout.NCHW, MemoryLayout.CHANNELS_LAST)) {
                Timing conv = convCeiling(upscaler, wh, layout);
                double convFlops = 2.0 * 64 * 64 * 9 * wh[0] * wh[1] * batch;
                out.printf(Locale.ROOT, "64->64 3x3 conv %-13s %8.4f s  %7.1f GFLOP/s (%s; best %.1f GFLOP/s)%n",
                        layout + ":", conv.median(), convFlops / conv.median() / 1e9, precision,
                        convFlops / conv.best() / 1e9);
            }
            out.flush();
        }
        return 0;
    }

    private static void compareWithUntiled(OisrUpscaler.Builder builder, OisrUpscaler tiled, RgbImage frame,
                                           PrintWriter out) {
        try (OisrUpscaler whole = builder.tile(0).build()) {
            RgbImage reference = whole.upscale(frame);
            RgbImage result = tiled.upscale(frame);
            byte[] a = reference.pixels();
            byte[] b = result.pixels();
            double squares = 0;
            int maxDiff = 0;
            long differing = 0;
            for (int i = 0; i < a.length; i++) {
                int d = Math.abs((a[i] & 0xff) - (b[i] & 0xff));
                squares += (double) d * d;
                maxDiff = Math.max(maxDiff, d);
                differing += d == 0 ? 0 : 1;
            }
            double psnr = squares == 0 ? Double.POSITIVE_INFINITY : 10 * Math.log10(255.0 * 255.0 * a.length / squares);
            out.printf(Locale.ROOT, "tiled vs untiled:    PSNR %.2f dB, max |diff| %d, %.4f%% of samples differ (%s)%n",
                    psnr, maxDiff, 100.0 * differing / a.length, tiled.tiling());
        }
    }

    private Timing convCeiling(OisrUpscaler upscaler, int[] wh, MemoryLayout layout) {
        torch.MemoryFormat format = layout == MemoryLayout.CHANNELS_LAST
                ? torch.MemoryFormat.ChannelsLast : torch.MemoryFormat.Contiguous;
        Conv2dOptions options = new Conv2dOptions(64, 64, new LongPointer(3L, 3L));
        options.padding().put(new LongPointer(1L, 1L));
        Conv2dImpl conv = new Conv2dImpl(options);
        try {
            Device device = upscaler.device().torchDevice();
            conv.to(device, upscaler.precision().scalarType(), false);
            try (PointerScope scope = new PointerScope(); InferenceMode mode = new InferenceMode()) {
                conv.weight().set_data(conv.weight().contiguous(format));
                Tensor x = torch.rand(batch, 64, wh[1], wh[0])
                        .to(device, upscaler.precision().scalarType(), false, false, new MemoryFormatOptional(format));
                return time(() -> conv.forward(x), upscaler.device());
            }
        } finally {
            conv.close();
        }
    }

    /** Wall-clock seconds of the timed runs (median and best) and process CPU seconds per run (median). */
    record Timing(double median, double best, double cpu) {
    }

    /** Times {@code iterations} runs after {@code warmup} untimed ones. */
    private Timing time(Supplier<?> pass, ComputeDevice device) {
        var os = (com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean();
        List<Double> runs = new ArrayList<>();
        List<Double> cpu = new ArrayList<>();
        for (int i = 0; i < warmup + iterations; i++) {
            try (PointerScope scope = new PointerScope(); InferenceMode mode = new InferenceMode()) {
                long cpuStart = os.getProcessCpuTime();
                long start = System.nanoTime();
                pass.get();
                if (device.isCuda()) {
                    torch.cuda_synchronize();
                }
                if (i >= warmup) {
                    runs.add((System.nanoTime() - start) / 1e9);
                    cpu.add((os.getProcessCpuTime() - cpuStart) / 1e9);
                }
            }
        }
        return new Timing(median(runs), runs.stream().mapToDouble(Double::doubleValue).min().orElseThrow(), median(cpu));
    }

    private static double median(List<Double> values) {
        List<Double> sorted = new ArrayList<>(values);
        sorted.sort(null);
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }

    private static List<RgbImage> randomFrames(int count, int width, int height) {
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
