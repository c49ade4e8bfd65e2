package org.oisrstream.jobs.bench;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;
import java.util.function.Function;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Device;
import org.bytedeco.pytorch.InferenceMode;
import org.bytedeco.pytorch.MemoryFormatOptional;
import org.bytedeco.pytorch.PReLUImpl;
import org.bytedeco.pytorch.PReLUOptions;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.oisrstream.model.infer.ImageTensors;
import org.oisrstream.model.net.Architecture;
import org.oisrstream.model.net.BlockType;
import org.oisrstream.model.net.OisrNet;

/**
 * Times every kind of operation an OISR network runs, one at a time, at the shape and precision it has in the
 * network, and multiplies by how often the network runs it: a layer-by-layer account of where a forward pass goes
 * and how far each part is from the 3x3 convolution ceiling. The sum is compared with the measured whole pass
 * (the difference is what the ops cost together that they do not alone: caches, allocation, dispatch). A folded
 * reconstruction ({@link OisrNet#foldReconstruction}) is shown as it runs: the folded convolution, its pixel shuffle
 * and the edge bands, which are timed through the network itself.
 */
public final class LayerProfile {

    /** One row: an operation, its output shape, how often a pass runs it, seconds each, and its MACs each (0 if none). */
    public record Row(String operation, String shape, int count, double seconds, double macs) {
        double totalSeconds() {
            return seconds * count;
        }
    }

    private final OisrNet network;
    private final Architecture architecture;
    private final Device device;
    private final torch.ScalarType compute;
    private final torch.MemoryFormat format;
    private final int width;
    private final int height;
    private final Timer timer;

    /** Measures the median seconds of a pass. */
    @FunctionalInterface
    public interface Timer {
        double medianSeconds(Supplier<?> pass);
    }

    /** Profiles {@code network} (on {@code device}, in {@code compute}, laid out in {@code format}) at LR {@code width x height}. */
    public LayerProfile(OisrNet network, Device device, torch.ScalarType compute, torch.MemoryFormat format,
                        int width, int height, Timer timer) {
        this.network = network;
        this.architecture = network.architecture();
        this.device = device;
        this.compute = compute;
        this.format = format;
        this.width = width;
        this.height = height;
        this.timer = timer;
    }

    public List<Row> measure() {
        List<Row> rows = new ArrayList<>();
        long f = architecture.features();
        int blocks = architecture.blocks();
        BlockType block = architecture.block();
        int scale = architecture.scale();
        int stepsPerBlock = block.convs();

        rows.add(conv("mean shift (1x1, fp32)", 3, 3, 1, width, height, 1, torch.ScalarType.Float));
        rows.add(elementwise("input to " + compute, 3, width, height, 1, x -> x.to(compute), torch.ScalarType.Float));
        rows.add(conv("head conv", 3, f, 3, width, height, 1, compute));
        rows.add(prelu(f, width, height, blocks * stepsPerBlock));
        rows.add(conv("block conv", f, f, 3, width, height, blocks * stepsPerBlock, compute));
        int[] ops = scalarOps(block);
        Tensor scalar = torch.full(new long[] {1}, new Scalar(2.0)).to(device, compute);
        if (ops[0] > 0) {
            rows.add(elementwise("block x scale", f, width, height, blocks * ops[0], x -> x.mul(scalar), compute));
        }
        rows.add(addcmul("block residual + scale x step (addcmul)", f, width, height, blocks * ops[1], scalar));
        rows.add(binary("block + residual", f, width, height, blocks * ops[2] + 1));
        rows.add(conv("body conv", f, f, 3, width, height, 1, compute));
        int w = width * scale;
        int h = height * scale;
        if (network.reconstructionFolded()) {
            long subPixels = 3L * scale * scale;
            rows.add(conv("folded reconstruction conv (5x5)", f, subPixels, 5, width, height, 1, compute));
            Row shuffled = elementwise("pixel shuffle (folded output)", subPixels, width, height, 1,
                    x -> torch.pixel_shuffle(x, scale), compute);
            rows.add(new Row(shuffled.operation(), "3x" + h + "x" + w, 1, shuffled.seconds(), 0));
            rows.add(edgeBands(f, 3, width, "edge rows, layer by layer (2 x 3 rows)"));
            rows.add(edgeBands(f, height, 3, "edge columns, layer by layer (2 x 3 columns)"));
        } else {
            rows.addAll(layerByLayerReconstruction(f, scale));
            rows.add(conv("tail conv", f, 3, 3, w, h, 1, compute));
        }
        rows.add(elementwise("output to fp32", 3, w, h, 1, x -> x.to(torch.ScalarType.Float), compute));
        rows.add(conv("mean shift (1x1, fp32)", 3, 3, 1, w, h, 1, torch.ScalarType.Float));
        rows.add(elementwise("to 8-bit images (ImageTensors)", 3, w, h, 1, x -> ImageTensors.toImages(x),
                torch.ScalarType.Float));
        return rows;
    }

    /** The upsampler's convolutions and pixel shuffles, as the paper's code runs them. */
    private List<Row> layerByLayerReconstruction(long f, int scale) {
        List<Row> rows = new ArrayList<>();
        int shuffle = scale == 3 ? 3 : 2;
        int w = width;
        int h = height;
        for (int step = 0; step < (scale == 4 ? 2 : 1); step++) {
            rows.add(conv("upsampler conv " + (step + 1), f, shuffle * shuffle * f, 3, w, h, 1, compute));
            long channels = shuffle * shuffle * f;
            Row shuffled = elementwise("pixel shuffle " + (step + 1), channels, w, h, 1,
                    x -> torch.pixel_shuffle(x, shuffle), compute);
            rows.add(new Row(shuffled.operation(), f + "x" + h * shuffle + "x" + w * shuffle, 1, shuffled.seconds(), 0));
            w *= shuffle;
            h *= shuffle;
        }
        return rows;
    }

    /** Both edge bands of one direction, {@code w x h} features each, through the network's reconstruction. */
    private Row edgeBands(long f, int h, int w, String name) {
        try (PointerScope scope = new PointerScope(); InferenceMode mode = new InferenceMode()) {
            Tensor x = torch.rand(2, f, h, w).to(device, compute, false, false, new MemoryFormatOptional(format));
            int scale = architecture.scale();
            return new Row(name, "2x3x" + h * scale + "x" + w * scale, 1,
                    timer.medianSeconds(() -> network.reconstruct(x)), 0);
        }
    }

    /**
     * How many (multiplications by a scale, fused scale-and-adds, plain adds) one block runs, from its forward pass
     * (LeapfrogBlock, Rk2Block, Rk3Block).
     */
    static int[] scalarOps(BlockType block) {
        return switch (block) {
            case LF -> new int[] {1, 3, 0};
            case RK2 -> new int[] {0, 1, 2};
            case RK3 -> new int[] {0, 5, 1};
        };
    }

    private Row conv(String name, long in, long out, int kernel, int w, int h, int count, torch.ScalarType type) {
        ConvProbe probe = new ConvProbe(in, out, kernel, 1, w, h);
        double seconds = probe.time(device, type, format, timer::medianSeconds);
        return new Row(name, out + "x" + h + "x" + w, count, seconds, probe.macs());
    }

    private Row prelu(long channels, int w, int h, int count) {
        PReLUOptions options = new PReLUOptions();
        options.num_parameters().put(channels);
        PReLUImpl prelu = new PReLUImpl(options);
        try {
            prelu.to(device, compute, false);
            try (PointerScope scope = new PointerScope(); InferenceMode mode = new InferenceMode()) {
                Tensor x = input(channels, w, h, compute);
                return new Row("block PReLU", channels + "x" + h + "x" + w, count,
                        timer.medianSeconds(() -> prelu.forward(x)), 0);
            }
        } finally {
            prelu.close();
        }
    }

    private Row elementwise(String name, long channels, int w, int h, int count,
                            Function<Tensor, ?> op, torch.ScalarType type) {
        try (PointerScope scope = new PointerScope(); InferenceMode mode = new InferenceMode()) {
            Tensor x = input(channels, w, h, type);
            return new Row(name, channels + "x" + h + "x" + w, count, timer.medianSeconds(() -> op.apply(x)), 0);
        }
    }

    private Row binary(String name, long channels, int w, int h, int count) {
        try (PointerScope scope = new PointerScope(); InferenceMode mode = new InferenceMode()) {
            Tensor a = input(channels, w, h, compute);
            Tensor b = input(channels, w, h, compute);
            return new Row(name, channels + "x" + h + "x" + w, count, timer.medianSeconds(() -> a.add(b)), 0);
        }
    }

    private Row addcmul(String name, long channels, int w, int h, int count, Tensor scalar) {
        try (PointerScope scope = new PointerScope(); InferenceMode mode = new InferenceMode()) {
            Tensor a = input(channels, w, h, compute);
            Tensor b = input(channels, w, h, compute);
            return new Row(name, channels + "x" + h + "x" + w, count,
                    timer.medianSeconds(() -> torch.addcmul(a, b, scalar)), 0);
        }
    }

    private Tensor input(long channels, int w, int h, torch.ScalarType type) {
        return torch.rand(1, channels, h, w).mul(new Scalar(255.0))
                .to(device, type, false, false, new MemoryFormatOptional(format));
    }

    /**
     * Prints the rows as a Markdown table: time per pass, share of the summed time, and for convolutions GFLOP/s
     * and the share of {@code ceilingFlops}; then the sum against {@code measuredPassSeconds}.
     */
    public static void print(List<Row> rows, double ceilingFlops, double measuredPassSeconds, PrintWriter out) {
        double sum = rows.stream().mapToDouble(Row::totalSeconds).sum();
        out.println("| operation | output shape | per pass | ms each | ms per pass | share | GFLOP/s | of ceiling |");
        out.println("|---|---|---|---|---|---|---|---|");
        for (Row r : rows) {
            String flops = r.macs() == 0 ? "" : String.format(Locale.ROOT, "%.1f", 2 * r.macs() / r.seconds() / 1e9);
            String ceiling = r.macs() == 0 ? ""
                    : String.format(Locale.ROOT, "%.0f %%", 100 * 2 * r.macs() / r.seconds() / ceilingFlops);
            out.printf(Locale.ROOT, "| %s | %s | %d | %.2f | %.1f | %.1f %% | %s | %s |%n", r.operation(), r.shape(),
                    r.count(), 1e3 * r.seconds(), 1e3 * r.totalSeconds(), 100 * r.totalSeconds() / sum, flops, ceiling);
        }
        double convSeconds = rows.stream().filter(r -> r.macs() > 0).mapToDouble(Row::totalSeconds).sum();
        double macs = rows.stream().mapToDouble(r -> r.macs() * r.count()).sum();
        out.printf(Locale.ROOT, "sum of the ops: %.3f s (convolutions %.3f s = %.0f %% of it, at %.0f %% of the ceiling"
                        + " together); the whole pass measured %.3f s (%+.0f %% against the sum)%n", sum, convSeconds,
                100 * convSeconds / sum, 100 * 2 * macs / convSeconds / ceilingFlops, measuredPassSeconds,
                100 * (measuredPassSeconds - sum) / sum);
        out.flush();
    }
}
