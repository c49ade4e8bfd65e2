package org.oisrstream.model.infer;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.BiFunction;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.InferenceMode;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.oisrstream.model.image.ByteArrayPool;
import org.oisrstream.model.image.Picture;
import org.oisrstream.model.image.RgbImage;
import org.oisrstream.model.image.Yuv420Image;
import org.oisrstream.model.image.YuvMatrix;
import org.oisrstream.model.net.ModelSpec;
import org.oisrstream.model.net.OisrNet;
import org.oisrstream.model.net.TorchRuntime;
import org.oisrstream.model.net.Yuv420Planes;
import org.oisrstream.model.weights.StateDict;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An OISR network on a device, enlarging 8-bit RGB images. Build with {@link #builder(ModelSpec)}. Frames of one
 * size are batched, large frames are tiled, and every native tensor of a call is freed when the call returns
 * (a {@link PointerScope} per batch), so long video runs do not leak. Calls are serialised (one network, one
 * device); use one upscaler per thread for parallelism.
 */
public final class OisrUpscaler implements ImageUpscaler {

    private static final Logger LOG = LoggerFactory.getLogger(OisrUpscaler.class);
    static final long OUTPUT_ARRAYS_BYTES = 64L << 20;

    private final ModelSpec spec;
    private final OisrNet net;
    private final ComputeDevice device;
    private final Precision precision;
    private final MemoryLayout layout;
    private final InferencePolicy policy;
    /** Output arrays {@link #recycle}d by callers, for the next frames' output (a few 4K frames' worth at most). */
    private final ByteArrayPool outputArrays = new ByteArrayPool(OUTPUT_ARRAYS_BYTES);
    private boolean closed;

    private OisrUpscaler(Builder b, OisrNet net, ComputeDevice device, Precision precision) {
        this.spec = b.spec;
        this.net = net;
        this.device = device;
        this.precision = precision;
        this.layout = b.layout.resolve(device);
        this.policy = b.policy(device, precision);
    }

    public static Builder builder(ModelSpec spec) {
        return new Builder(spec);
    }

    @Override
    public int scale() {
        return spec.scale();
    }

    public ModelSpec spec() {
        return spec;
    }

    public ComputeDevice device() {
        return device;
    }

    public Precision precision() {
        return precision;
    }

    public MemoryLayout layout() {
        return layout;
    }

    /** The network itself, for profiling its stages; calls must not overlap with this upscaler's own. */
    public OisrNet network() {
        return net;
    }

    /** How this upscaler picks batches and tiles. */
    public InferencePolicy policy() {
        return policy;
    }

    /** The plan a pass of {@code batch} frames of {@code width x height} input pixels runs with. */
    public ExecutionPlan planFor(int batch, int width, int height) {
        return policy.planForBatch(batch, width, height);
    }

    @Override
    public String describe() {
        return spec.describe() + " on " + device + " (" + precision + ", " + layout + ")";
    }

    /** The batch of the {@link InferencePolicy}'s plan: on the CPU, one frame at a time once frames are large. */
    @Override
    public int framesPerPass(int waiting, int width, int height) {
        return policy.plan(waiting, width, height).batch();
    }

    @Override
    public synchronized List<RgbImage> upscale(List<RgbImage> images) {
        return inPasses(images, (x, plan) -> ImageTensors.toImages(run(x, plan), outputArrays));
    }

    /** Always: folded at an even scale the colour conversion is part of the network's last convolution. */
    @Override
    public boolean upscalesToYuv420() {
        return true;
    }

    @Override
    public synchronized List<Yuv420Image> upscaleYuv420(List<RgbImage> images, YuvMatrix matrix) {
        Objects.requireNonNull(matrix, "matrix");
        return inPasses(images, (x, plan) -> ImageTensors.toYuv420Images(runYuv420(x, plan, matrix), matrix,
                outputArrays));
    }

    /** Not synchronized: callers give frames back while the next pass runs. */
    @Override
    public void recycle(Picture picture) {
        outputArrays.give(picture);
    }

    /** Runs {@code images} in the policy's passes, each through {@code pass} (tensor in, frames out). */
    private <T> List<T> inPasses(List<RgbImage> images, BiFunction<Tensor, ExecutionPlan, List<T>> pass) {
        ensureOpen();
        List<T> out = new ArrayList<>(images.size());
        int start = 0;
        while (start < images.size()) {
            RgbImage first = images.get(start);
            int sameSize = 1;
            while (start + sameSize < images.size() && images.get(start + sameSize).width() == first.width()
                    && images.get(start + sameSize).height() == first.height()) {
                sameSize++;
            }
            ExecutionPlan plan = policy.plan(sameSize, first.width(), first.height());
            out.addAll(upscaleBatch(images.subList(start, start + plan.batch()), plan, pass));
            start += plan.batch();
        }
        return out;
    }

    /** One pass; on a device out-of-memory error it retries the same frames with the policy's next smaller plan. */
    private <T> List<T> upscaleBatch(List<RgbImage> frames, ExecutionPlan plan,
                                     BiFunction<Tensor, ExecutionPlan, List<T>> pass) {
        RgbImage first = frames.get(0);
        while (true) {
            try {
                if (plan.batch() < frames.size()) {
                    List<T> out = new ArrayList<>(frames.size());
                    for (int i = 0; i < frames.size(); i += plan.batch()) {
                        out.addAll(upscaleBatch(frames.subList(i, Math.min(frames.size(), i + plan.batch())), plan,
                                pass));
                    }
                    return out;
                }
                try (PointerScope scope = new PointerScope(); InferenceMode inference = new InferenceMode()) {
                    return pass.apply(ImageTensors.toTensor(frames, device.torchDevice(), layout.memoryFormat()), plan);
                }
            } catch (RuntimeException e) {
                if (!device.isCuda() || !CudaMemory.isOutOfMemory(e)) {
                    throw e;
                }
                ExecutionPlan smaller = policy.shrink(plan, first.width(), first.height()).orElseThrow(() -> e);
                LOG.warn("{}: out of device memory with {} on {}x{} frames, retrying with {}", describe(), plan,
                        first.width(), first.height(), smaller);
                plan = smaller;
            }
        }
    }

    /**
     * The raw forward pass on a float N x 3 x H x W tensor (0..255) already on the device, with the policy's tiles
     * for N frames of that size, under inference mode; the result is fp32 0..255 (unrounded). The caller owns the
     * native memory (use a PointerScope).
     */
    public synchronized Tensor forward(Tensor lr) {
        ensureOpen();
        try (InferenceMode inference = new InferenceMode()) {
            return run(lr, planFor((int) lr.size(0), (int) lr.size(3), (int) lr.size(2)));
        }
    }

    /** Runs {@code plan} on {@code x}: the network per tile, or the trunk whole and the reconstruction in strips. */
    private Tensor run(Tensor x, ExecutionPlan plan) {
        torch.MemoryFormat format = layout.memoryFormat();
        if (plan.network().enabled()) {
            return plan.network().apply(net::forward, x, spec.scale(), format);
        }
        Tensor features = net.features(x);
        return plan.reconstruction().apply(net::reconstruct, features, spec.scale(), format);
    }

    /**
     * {@link #run} giving Y'CbCr 4:2:0: straight from the folded reconstruction when the trunk and the
     * reconstruction run whole (the usual plan), else converted from the RGB output.
     */
    private Yuv420Planes runYuv420(Tensor x, ExecutionPlan plan, YuvMatrix matrix) {
        if (plan.network().enabled() || plan.reconstruction().enabled()) {
            return Yuv420Planes.fromRgb(run(x, plan), matrix);
        }
        return net.reconstructYuv420(net.features(x), matrix);
    }

    private void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("upscaler " + describe() + " is closed");
        }
    }

    @Override
    public synchronized void close() {
        if (!closed) {
            closed = true;
            net.close();
        }
    }

    /** Options for an {@link OisrUpscaler}; weights are required unless {@link #randomWeights(long)} is chosen. */
    public static final class Builder {
        private final ModelSpec spec;
        private StateDict weights;
        private Long randomSeed;
        private ComputeDevice device = ComputeDevice.AUTO;
        private String precision = Precision.FP32.toString();
        private MemoryLayout layout = MemoryLayout.AUTO;
        private final InferencePolicy.Builder policy;
        private int threads = 0;
        private boolean foldReconstruction = true;

        private Builder(ModelSpec spec) {
            this.spec = Objects.requireNonNull(spec, "spec");
            this.policy = InferencePolicy.builder(spec.architecture()).maxBatch(1);
        }

        /** Trained weights (checked strictly against the spec when building). */
        public Builder weights(StateDict weights) {
            this.weights = Objects.requireNonNull(weights, "weights");
            this.randomSeed = null;
            return this;
        }

        /** PyTorch-default random initialisation (for speed measurements only). */
        public Builder randomWeights(long seed) {
            this.randomSeed = seed;
            this.weights = null;
            return this;
        }

        public Builder device(ComputeDevice device) {
            this.device = Objects.requireNonNull(device, "device");
            return this;
        }

        public Builder device(String device) {
            return device(ComputeDevice.parse(device));
        }

        public Builder precision(Precision precision) {
            this.precision = Objects.requireNonNull(precision, "precision").toString();
            return this;
        }

        /** fp32 (default), bf16, fp16, or auto ({@link Precision#forDevice}, decided once the device is known). */
        public Builder precision(String precision) {
            Precision.check(precision);
            this.precision = precision;
            return this;
        }

        public Builder layout(MemoryLayout layout) {
            this.layout = Objects.requireNonNull(layout, "layout");
            return this;
        }

        /**
         * The most frames of one size in one forward pass (default 1). The {@link InferencePolicy} uses fewer where
         * they would not pay (large frames on the CPU) or not fit (device memory).
         */
        public Builder maxBatch(int maxBatch) {
            policy.maxBatch(maxBatch);
            return this;
        }

        /** A fixed tile side in LR pixels for the whole network; 0 runs whole frames however large. */
        public Builder tile(int tile) {
            if (tile < 0) {
                throw new IllegalArgumentException("tile must be >= 0 (0 = no tiling), got " + tile);
            }
            policy.tile(tile);
            return this;
        }

        /**
         * Let the {@link InferencePolicy} choose tiles (the default), keeping a CPU pass's trunk within
         * {@code budgetBytes} (default 1 GiB).
         */
        public Builder autoTile(long budgetBytes) {
            policy.tile(-1).budgetBytes(budgetBytes);
            return this;
        }

        /** Working set of one reconstruction strip on the CPU (default {@link InferencePolicy#DEFAULT_STRIP_BYTES}). */
        public Builder stripBytes(long bytes) {
            policy.stripBytes(bytes);
            return this;
        }

        /** LR pixels of context added around each network tile (default {@value Tiling#DEFAULT_OVERLAP}). */
        public Builder overlap(int overlap) {
            policy.overlap(overlap);
            return this;
        }

        /** LibTorch intra-op threads (process-wide); 0 (default) = every processor available to the JVM. */
        public Builder threads(int threads) {
            if (threads < 0) {
                throw new IllegalArgumentException("threads must be >= 0, got " + threads);
            }
            this.threads = threads;
            return this;
        }

        /**
         * Whether the reconstruction runs as one folded convolution (default) or layer by layer as in the paper's
         * code; the two differ only by floating-point rounding (see {@code OisrNet#foldReconstruction}).
         */
        public Builder foldReconstruction(boolean fold) {
            this.foldReconstruction = fold;
            return this;
        }

        InferencePolicy policy(ComputeDevice resolved, Precision resolvedPrecision) {
            policy.bytesPerElement(resolvedPrecision.bytes()).foldedReconstruction(foldReconstruction);
            if (resolved.isCuda()) {
                long fallback = InferencePolicy.DEFAULT_CPU_BUDGET;
                policy.device(InferencePolicy.Device.CUDA)
                        .freeDeviceBytes(() -> CudaMemory.freeBytes(resolved.index()).orElse(fallback));
            } else {
                policy.device(InferencePolicy.Device.CPU);
            }
            return policy.build();
        }

        public OisrUpscaler build() {
            if (weights == null && randomSeed == null) {
                throw new IllegalStateException("no weights for " + spec.describe() + ": give weights(...) or randomWeights(seed)");
            }
            ComputeDevice resolved = device.resolve();
            Precision resolvedPrecision = Precision.resolve(precision, resolved);
            if (resolvedPrecision == Precision.FP16 && !resolved.isCuda()) {
                throw new IllegalArgumentException("fp16 needs a CUDA device; on the CPU use bf16 or fp32");
            }
            TorchRuntime.configure();
            torch.set_num_threads(threads > 0 ? threads : TorchRuntime.defaultThreads());
            LOG.info("{} on {} ({}{}): {} intra-op threads", spec.describe(), resolved, resolvedPrecision,
                    Precision.isAuto(precision) ? ", chosen by --precision auto" : "", torch.get_num_threads());
            if (randomSeed != null) {
                torch.manual_seed(randomSeed);
            }
            OisrNet net = new OisrNet(spec);
            try {
                if (weights != null) {
                    net.load(weights);
                }
                net.eval();
                if (foldReconstruction) {
                    net.foldReconstruction();
                }
                net.moveTo(resolved.torchDevice(), resolvedPrecision.scalarType());
                OisrUpscaler upscaler = new OisrUpscaler(this, net, resolved, resolvedPrecision);
                net.setWeightMemoryFormat(upscaler.layout.memoryFormat());
                return upscaler;
            } catch (RuntimeException e) {
                net.close();
                throw e;
            }
        }
    }
}
