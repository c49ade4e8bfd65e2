package org.oisrstream.model.infer;

import java.nio.file.Path;
import java.util.Locale;
import java.util.Objects;

/**
 * Which upscaler {@link Upscalers} should build, and how it runs: a registry name ({@code nearest}, {@code bicubic}
 * or an OISR network such as {@code lf-s}) at a scale, and for a network its weights file (null: the weights shipped
 * for it), device, precision, tile ({@link #AUTO_TILE}, 0 for whole frames, or a side in input pixels), largest
 * batch, tile overlap, memory layout and LibTorch threads. {@code selfEnsemble} wraps the result in a
 * {@link SelfEnsembleUpscaler}. Build with {@link #builder(String, int)}; the defaults are the command line's.
 */
public record UpscalerRequest(String model, int scale, Path weights, String device, String precision, int tile,
                              int maxBatch, int overlap, MemoryLayout layout, int threads, boolean selfEnsemble) {

    /** Tile size meaning "whole frames while they fit the memory budget, else tiles that do". */
    public static final int AUTO_TILE = -1;

    public UpscalerRequest {
        Objects.requireNonNull(model, "model");
        model = model.strip().toLowerCase(Locale.ROOT);
        device = device == null || device.isBlank() ? "auto" : device.strip().toLowerCase(Locale.ROOT);
        precision = precision == null || precision.isBlank() ? Precision.AUTO : precision.strip().toLowerCase(Locale.ROOT);
        Objects.requireNonNull(layout, "layout");
        if (tile < AUTO_TILE) {
            throw new IllegalArgumentException("tile must be auto, 0 (whole frames) or a positive size, got " + tile);
        }
        if (maxBatch < 1) {
            throw new IllegalArgumentException("the largest batch must be at least 1, got " + maxBatch);
        }
        if (overlap < 0) {
            throw new IllegalArgumentException("the tile overlap must be >= 0, got " + overlap);
        }
        if (threads < 0) {
            throw new IllegalArgumentException("threads must be >= 0, got " + threads);
        }
    }

    public static Builder builder(String model, int scale) {
        return new Builder(model, scale);
    }

    /** The request's options with {@code tile} as the tile; the rest unchanged. */
    public UpscalerRequest withTile(int newTile) {
        return new UpscalerRequest(model, scale, weights, device, precision, newTile, maxBatch, overlap, layout,
                threads, selfEnsemble);
    }

    /** Named options with the command line's defaults: auto device, precision and tile, one frame per pass. */
    public static final class Builder {
        private final String model;
        private final int scale;
        private Path weights;
        private String device = "auto";
        private String precision = Precision.AUTO;
        private int tile = AUTO_TILE;
        private int maxBatch = 1;
        private int overlap = Tiling.DEFAULT_OVERLAP;
        private MemoryLayout layout = MemoryLayout.AUTO;
        private int threads;
        private boolean selfEnsemble;

        private Builder(String model, int scale) {
            this.model = model;
            this.scale = scale;
        }

        /** A weights file; null for the weights shipped for the network. */
        public Builder weights(Path v) { weights = v; return this; }
        public Builder device(String v) { device = v; return this; }
        public Builder precision(String v) { precision = v; return this; }
        public Builder tile(int v) { tile = v; return this; }
        public Builder maxBatch(int v) { maxBatch = v; return this; }
        public Builder overlap(int v) { overlap = v; return this; }
        public Builder layout(MemoryLayout v) { layout = v; return this; }
        public Builder threads(int v) { threads = v; return this; }
        public Builder selfEnsemble(boolean v) { selfEnsemble = v; return this; }

        public UpscalerRequest build() {
            return new UpscalerRequest(model, scale, weights, device, precision, tile, maxBatch, overlap, layout,
                    threads, selfEnsemble);
        }
    }
}
