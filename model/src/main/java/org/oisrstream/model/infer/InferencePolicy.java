package org.oisrstream.model.infer;

import java.util.Objects;
import java.util.Optional;
import java.util.function.LongSupplier;
import org.oisrstream.model.net.Architecture;
import org.oisrstream.model.net.OisrNet;

/**
 * Chooses how frames go through a network ({@link ExecutionPlan}) from their size, the device and memory, so that
 * a pass's working set stays within a budget whatever the frame size. See docs/inference.md.
 *
 * <ul>
 *   <li><b>CPU.</b> A frame of {@value #CPU_BATCH_PIXELS} input pixels or more runs alone: its convolutions
 *   already fill every core, and batching it would only multiply the working set. Smaller frames are batched up
 *   to about that many pixels. The trunk runs on the whole frame while its live feature maps fit the memory
 *   budget; the reconstruction (layer by layer, at x4 it holds 32 F values per input pixel; folded, 6 s^2) runs
 *   in full-width strips of about {@link Builder#stripBytes} each when it does not fit one, with
 *   {@link OisrNet#RECONSTRUCTION_CONTEXT} rows of context, which is exact and costs a few percent of extra work. Frames whose trunk does not fit run the whole network in square
 *   tiles with {@link Tiling#DEFAULT_OVERLAP} pixels of context.</li>
 *   <li><b>CUDA.</b> Batches pay there: as many frames as fit in the free device memory (at most the maximum
 *   batch), whole; frames too large even alone run in tiles that fit. After a device out-of-memory error,
 *   {@link #shrink} gives the next smaller plan: half the batch, then half the tile.</li>
 * </ul>
 * A fixed tile ({@code --tile N}) or "whole frames" ({@code --tile 0}) and a maximum batch override the choice.
 */
public final class InferencePolicy {

    /** Input pixels per CPU forward pass beyond which frames are not batched (128 x 128). */
    public static final int CPU_BATCH_PIXELS = 128 * 128;
    /** Default budget for the trunk's working set on the CPU. */
    public static final long DEFAULT_CPU_BUDGET = 1L << 30;
    /** Default working set of one reconstruction strip on the CPU. */
    public static final long DEFAULT_STRIP_BYTES = 1L << 30;
    /** Share of the free device memory a CUDA pass may plan for (the rest covers the estimate's error). */
    static final double CUDA_FREE_SHARE = 0.7;
    static final int MIN_TILE = 32;
    static final int MIN_STRIP_ROWS = 16;

    /** Live trunk values per input pixel, in units of F: head output, block input, three steps and a temporary. */
    static final int TRUNK_LIVE_FEATURES = 7;

    public enum Device { CPU, CUDA }

    private final Device device;
    private final int features;
    private final int scale;
    private final int bytesPerElement;
    private final int maxBatch;
    private final int fixedTile;
    private final int overlap;
    private final long budgetBytes;
    private final long stripBytes;
    private final boolean foldedReconstruction;
    private final LongSupplier freeDeviceBytes;

    private InferencePolicy(Builder b) {
        this.device = b.device;
        this.features = b.features;
        this.scale = b.scale;
        this.bytesPerElement = b.bytesPerElement;
        this.maxBatch = b.maxBatch;
        this.fixedTile = b.fixedTile;
        this.overlap = b.overlap;
        this.budgetBytes = b.budgetBytes;
        this.stripBytes = b.stripBytes;
        this.foldedReconstruction = b.foldedReconstruction;
        this.freeDeviceBytes = b.freeDeviceBytes;
    }

    public static Builder builder(Architecture architecture) {
        return new Builder(architecture.features(), architecture.scale());
    }

    public static Builder builder(int features, int scale) {
        return new Builder(features, scale);
    }

    public Device device() {
        return device;
    }

    public int maxBatch() {
        return maxBatch;
    }

    /** The plan for the next pass: {@code framesWaiting} frames of {@code width x height} input pixels are queued. */
    public ExecutionPlan plan(int framesWaiting, int width, int height) {
        if (framesWaiting < 1 || width < 1 || height < 1) {
            throw new IllegalArgumentException("need at least one frame of at least 1x1, got " + framesWaiting
                    + " of " + width + "x" + height);
        }
        long pixels = (long) width * height;
        int batch = Math.min(framesWaiting, device == Device.CPU ? cpuBatch(pixels) : cudaBatch(pixels));
        return planFor(batch, width, height, pixels);
    }

    /** The plan for exactly {@code batch} frames (e.g. a benchmark's fixed batch). */
    public ExecutionPlan planForBatch(int batch, int width, int height) {
        return planFor(batch, width, height, (long) width * height);
    }

    private ExecutionPlan planFor(int batch, int width, int height, long pixels) {
        if (fixedTile == 0) {
            return ExecutionPlan.whole(batch);
        }
        if (fixedTile > 0) {
            return new ExecutionPlan(batch, Tiling.square(fixedTile, overlap), Tiling.none());
        }
        if (device == Device.CUDA) {
            long budget = cudaBudget();
            return batch * pixels * networkBytesPerPixel() <= budget ? ExecutionPlan.whole(batch)
                    : new ExecutionPlan(batch, squareTilesFitting(budget, batch), Tiling.none());
        }
        if (batch * pixels * trunkBytesPerPixel() > budgetBytes) {
            return new ExecutionPlan(batch, squareTilesFitting(budgetBytes, batch), Tiling.none());
        }
        return new ExecutionPlan(batch, Tiling.none(), reconstructionStrips(batch, width, height));
    }

    /**
     * The next smaller plan after {@code failed} ran out of device memory: half the batch, else tiles of half the
     * side (or tiles that fit half the budget when it was whole); empty when nothing smaller is left.
     */
    public Optional<ExecutionPlan> shrink(ExecutionPlan failed, int width, int height) {
        if (failed.batch() > 1) {
            return Optional.of(failed.withBatch(failed.batch() / 2));
        }
        if (!failed.network().enabled()) {
            long pixels = (long) width * height;
            long budget = Math.max(1, pixels * networkBytesPerPixel() / 2);
            Tiling tiles = squareTilesFitting(budget, 1);
            return tiles.width() < Math.max(width, height) ? Optional.of(new ExecutionPlan(1, tiles, Tiling.none()))
                    : Optional.empty();
        }
        int side = failed.network().width() / 2 / 8 * 8;
        if (side < MIN_TILE) {
            return Optional.empty();
        }
        return Optional.of(new ExecutionPlan(1, Tiling.square(side, failed.network().overlap()), Tiling.none()));
    }

    private int cpuBatch(long pixels) {
        return (int) Math.max(1, Math.min(maxBatch, CPU_BATCH_PIXELS / pixels));
    }

    private int cudaBatch(long pixels) {
        long perFrame = pixels * networkBytesPerPixel();
        return (int) Math.max(1, Math.min(maxBatch, cudaBudget() / Math.max(1, perFrame)));
    }

    private long cudaBudget() {
        return (long) (CUDA_FREE_SHARE * freeDeviceBytes.getAsLong());
    }

    /** Bytes per input pixel of the trunk's live feature maps. */
    long trunkBytesPerPixel() {
        return (long) TRUNK_LIVE_FEATURES * features * bytesPerElement;
    }

    /**
     * Bytes per input pixel of the reconstruction: layer by layer, the last upsampling convolution's output and its
     * shuffled copy (2 F s^2 values); folded, the folded convolution's output and its shuffled copy (2 x 3 s^2);
     * either way plus the fp32 RGB output and its mean-shifted copy.
     */
    long reconstructionBytesPerPixel() {
        long s2 = (long) scale * scale;
        long upsampled = foldedReconstruction ? 3 : features;
        return 2L * upsampled * s2 * bytesPerElement + 2L * 3 * s2 * Float.BYTES;
    }

    long networkBytesPerPixel() {
        return trunkBytesPerPixel() + reconstructionBytesPerPixel();
    }

    private Tiling squareTilesFitting(long budget, int batch) {
        long maxPixels = Math.max(1, budget / (batch * networkBytesPerPixel()));
        int side = Math.max(MIN_TILE, (int) ((Math.sqrt((double) maxPixels) - 2.0 * overlap) / 8) * 8);
        return Tiling.square(side, overlap);
    }

    private Tiling reconstructionStrips(int batch, int width, int height) {
        long perRow = batch * (long) width * reconstructionBytesPerPixel();
        long rows = stripBytes / Math.max(1, perRow) - 2L * OisrNet.RECONSTRUCTION_CONTEXT;
        long most = Math.max(MIN_STRIP_ROWS, rows);
        if (most >= height) {
            return Tiling.none();
        }
        // Strips of equal height: a thin last strip (270 rows as 256 + 14) made oneDNN's fp32 upsampler
        // convolutions pick slow kernels and cost 28 % of a 1080p pass, where 2 x 135 rows cost nothing.
        int strips = (int) ((height + most - 1) / most);
        int strip = Math.max(MIN_STRIP_ROWS, (height + strips - 1) / strips);
        return Tiling.rows(strip, OisrNet.RECONSTRUCTION_CONTEXT);
    }

    @Override
    public String toString() {
        String batch = "batch <= " + maxBatch;
        String tiles = fixedTile == 0 ? "whole frames" : fixedTile > 0 ? "tile " + fixedTile + " + " + overlap
                : device == Device.CPU ? "budget " + (budgetBytes >> 20) + " MiB, strips of " + (stripBytes >> 20)
                + " MiB" : "budget " + (int) (CUDA_FREE_SHARE * 100) + "% of free device memory";
        return device.name().toLowerCase(java.util.Locale.ROOT) + " policy: " + batch + ", " + tiles;
    }

    /** Options of an {@link InferencePolicy}. */
    public static final class Builder {
        private final int features;
        private final int scale;
        private Device device = Device.CPU;
        private int bytesPerElement = Float.BYTES;
        private int maxBatch = 8;
        private int fixedTile = -1;
        private int overlap = Tiling.DEFAULT_OVERLAP;
        private long budgetBytes = DEFAULT_CPU_BUDGET;
        private long stripBytes = DEFAULT_STRIP_BYTES;
        private boolean foldedReconstruction;
        private LongSupplier freeDeviceBytes = () -> 4L << 30;

        private Builder(int features, int scale) {
            if (features < 1 || scale < 1) {
                throw new IllegalArgumentException("features and scale must be >= 1");
            }
            this.features = features;
            this.scale = scale;
        }

        public Builder device(Device device) {
            this.device = Objects.requireNonNull(device, "device");
            return this;
        }

        /** Bytes per value in the trunk: 4 for fp32, 2 for bf16 and fp16. */
        public Builder bytesPerElement(int bytes) {
            if (bytes != 2 && bytes != 4) {
                throw new IllegalArgumentException("bytes per element must be 2 or 4, got " + bytes);
            }
            this.bytesPerElement = bytes;
            return this;
        }

        /** The most frames of one size in one pass (a CPU pass of large frames takes one anyway). */
        public Builder maxBatch(int maxBatch) {
            if (maxBatch < 1) {
                throw new IllegalArgumentException("max batch must be >= 1, got " + maxBatch);
            }
            this.maxBatch = maxBatch;
            return this;
        }

        /** A fixed tile side for the whole network in input pixels; 0 = always whole frames; -1 = choose (default). */
        public Builder tile(int tile) {
            if (tile < -1) {
                throw new IllegalArgumentException("tile must be -1 (auto), 0 (whole frames) or positive, got " + tile);
            }
            this.fixedTile = tile;
            return this;
        }

        public Builder overlap(int overlap) {
            if (overlap < 0) {
                throw new IllegalArgumentException("overlap must be >= 0, got " + overlap);
            }
            this.overlap = overlap;
            return this;
        }

        /** Working-set budget of a CPU pass's trunk (default 1 GiB). */
        public Builder budgetBytes(long bytes) {
            if (bytes <= 0) {
                throw new IllegalArgumentException("memory budget must be positive, got " + bytes);
            }
            this.budgetBytes = bytes;
            return this;
        }

        /** Working set of one CPU reconstruction strip (default 1 GiB). */
        public Builder stripBytes(long bytes) {
            if (bytes <= 0) {
                throw new IllegalArgumentException("strip size must be positive, got " + bytes);
            }
            this.stripBytes = bytes;
            return this;
        }

        /**
         * Whether the network runs its reconstruction folded ({@code OisrNet#foldReconstruction}; default: layer
         * by layer), which needs a small fraction of the memory and rarely strips.
         */
        public Builder foldedReconstruction(boolean folded) {
            this.foldedReconstruction = folded;
            return this;
        }

        /** Where a CUDA policy learns the device's free memory at each plan. */
        public Builder freeDeviceBytes(LongSupplier free) {
            this.freeDeviceBytes = Objects.requireNonNull(free, "free");
            return this;
        }

        public InferencePolicy build() {
            return new InferencePolicy(this);
        }
    }
}
