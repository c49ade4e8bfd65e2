package org.oisrstream.model.infer;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.InferenceMode;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.oisrstream.model.image.RgbImage;
import org.oisrstream.model.net.ModelSpec;
import org.oisrstream.model.net.OisrNet;
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

    private final ModelSpec spec;
    private final OisrNet net;
    private final ComputeDevice device;
    private final Precision precision;
    private final MemoryLayout layout;
    private final Tiling tiling;
    private final long autoTileBudget;
    private final int batchSize;
    private final int overlap;
    private boolean closed;

    private OisrUpscaler(Builder b, OisrNet net, ComputeDevice device) {
        this.spec = b.spec;
        this.net = net;
        this.device = device;
        this.precision = b.precision;
        this.layout = b.layout.resolve(device);
        this.tiling = new Tiling(Math.max(0, b.tile), b.tile > 0 ? b.overlap : 0);
        this.autoTileBudget = b.tile == Builder.AUTO_TILE ? b.memoryBudget : 0;
        this.overlap = b.overlap;
        this.batchSize = b.batchSize;
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

    public Tiling tiling() {
        return tiling;
    }

    @Override
    public String describe() {
        String tiles = tiling.enabled() ? ", tile " + tiling.tile() + "+" + tiling.overlap()
                : autoTileBudget > 0 ? ", auto tiles" : "";
        return spec.describe() + " on " + device + " (" + precision + ", " + layout + tiles + ")";
    }

    @Override
    public synchronized List<RgbImage> upscale(List<RgbImage> images) {
        ensureOpen();
        List<RgbImage> out = new ArrayList<>(images.size());
        int start = 0;
        while (start < images.size()) {
            int end = start + 1;
            RgbImage first = images.get(start);
            while (end < images.size() && end - start < batchSize && images.get(end).width() == first.width()
                    && images.get(end).height() == first.height()) {
                end++;
            }
            try (PointerScope scope = new PointerScope(); InferenceMode inference = new InferenceMode()) {
                Tensor x = ImageTensors.toTensor(images.subList(start, end), device.torchDevice(), layout.memoryFormat());
                out.addAll(ImageTensors.toImages(forwardTiled(x)));
            }
            start = end;
        }
        return out;
    }

    /**
     * The raw forward pass on a float N x 3 x H x W tensor (0..255) already on the device, with tiling, under
     * inference mode; the result is fp32 0..255 (unrounded). The caller owns the native memory (use a PointerScope).
     */
    public synchronized Tensor forward(Tensor lr) {
        ensureOpen();
        try (InferenceMode inference = new InferenceMode()) {
            return forwardTiled(lr);
        }
    }

    private Tensor forwardTiled(Tensor x) {
        return tilingFor(x.size(0), x.size(3), x.size(2)).apply(net::forward, x, spec.scale(), layout.memoryFormat());
    }

    /** The tiling used for a batch of {@code batch} frames of {@code width x height} LR pixels. */
    public Tiling tilingFor(long batch, long width, long height) {
        if (autoTileBudget <= 0) {
            return tiling;
        }
        int bytes = precision == Precision.FP32 ? 4 : 2;
        return Tiling.fitting(autoTileBudget, (int) batch, width, height, spec.variant().features(), spec.scale(),
                bytes, overlap);
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
        private Precision precision = Precision.FP32;
        private MemoryLayout layout = MemoryLayout.AUTO;
        private int batchSize = 1;
        static final int AUTO_TILE = -1;
        private int tile = AUTO_TILE;
        private long memoryBudget = 2L << 30;
        private int overlap = Tiling.DEFAULT_OVERLAP;
        private int threads = 0;

        private Builder(ModelSpec spec) {
            this.spec = Objects.requireNonNull(spec, "spec");
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
            this.precision = Objects.requireNonNull(precision, "precision");
            return this;
        }

        public Builder precision(String precision) {
            return precision(Precision.parse(precision));
        }

        public Builder layout(MemoryLayout layout) {
            this.layout = Objects.requireNonNull(layout, "layout");
            return this;
        }

        /** Most frames of one size run through the network together (default 1). */
        public Builder batchSize(int batchSize) {
            if (batchSize < 1) {
                throw new IllegalArgumentException("batch size must be at least 1, got " + batchSize);
            }
            this.batchSize = batchSize;
            return this;
        }

        /** Tile side in LR pixels; 0 runs whole frames however large. Default: {@link #autoTile(long)} with 2 GiB. */
        public Builder tile(int tile) {
            if (tile < 0) {
                throw new IllegalArgumentException("tile must be >= 0 (0 = no tiling), got " + tile);
            }
            this.tile = tile;
            return this;
        }

        /** Whole frames when a pass's activations fit in {@code budgetBytes}, else tiles that do (the default). */
        public Builder autoTile(long budgetBytes) {
            if (budgetBytes <= 0) {
                throw new IllegalArgumentException("memory budget must be positive, got " + budgetBytes);
            }
            this.tile = AUTO_TILE;
            this.memoryBudget = budgetBytes;
            return this;
        }

        /** LR pixels of context added around each tile (default {@value Tiling#DEFAULT_OVERLAP}). */
        public Builder overlap(int overlap) {
            if (overlap < 0) {
                throw new IllegalArgumentException("overlap must be >= 0, got " + overlap);
            }
            this.overlap = overlap;
            return this;
        }

        /** LibTorch intra-op threads (process-wide); 0 (default) keeps LibTorch's choice. */
        public Builder threads(int threads) {
            if (threads < 0) {
                throw new IllegalArgumentException("threads must be >= 0, got " + threads);
            }
            this.threads = threads;
            return this;
        }

        public OisrUpscaler build() {
            if (weights == null && randomSeed == null) {
                throw new IllegalStateException("no weights for " + spec.describe() + ": give weights(...) or randomWeights(seed)");
            }
            ComputeDevice resolved = device.resolve();
            if (precision == Precision.FP16 && !resolved.isCuda()) {
                throw new IllegalArgumentException("fp16 needs a CUDA device; on the CPU use bf16 or fp32");
            }
            if (threads > 0) {
                torch.set_num_threads(threads);
            }
            LOG.info("{} on {}: {} intra-op threads", spec.describe(), resolved, torch.get_num_threads());
            if (randomSeed != null) {
                torch.manual_seed(randomSeed);
            }
            OisrNet net = new OisrNet(spec);
            try {
                if (weights != null) {
                    net.load(weights);
                }
                net.eval();
                net.moveTo(resolved.torchDevice(), precision.scalarType());
                OisrUpscaler upscaler = new OisrUpscaler(this, net, resolved);
                net.setWeightMemoryFormat(upscaler.layout.memoryFormat());
                return upscaler;
            } catch (RuntimeException e) {
                net.close();
                throw e;
            }
        }
    }
}
