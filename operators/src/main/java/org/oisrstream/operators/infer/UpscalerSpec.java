package org.oisrstream.operators.infer;

import java.io.Serializable;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Objects;
import org.oisrstream.model.infer.UpscalerRequest;
import org.oisrstream.model.infer.Upscalers;

/**
 * Which upscaler the streaming job builds and where: the model name from the registry ({@link Upscalers}) ({@code nearest}, {@code bicubic}, or an OISR network such
 * as {@code lf-s}), the scale, the weights file (OISR models), the device ({@code auto}, {@code cpu}, {@code cuda:0}), the
 * precision ({@code auto}, {@code fp32}, {@code fp16}, {@code bf16}) and the tile size in input pixels ({@link #AUTO_TILE}:
 * whole frames when they fit the network's memory budget, else tiles that do; 0: always whole frames).
 *
 * <p>It travels inside the Flink job graph, so it is serializable, and it is the key under which one
 * {@link InferenceService} per TaskManager JVM is shared.
 */
public record UpscalerSpec(String model, int scale, String weights, String device, String precision, int tile)
        implements Serializable {

    /** Tile size meaning "whole frames if they fit, else tiles that do" (the network's own choice). */
    public static final int AUTO_TILE = UpscalerRequest.AUTO_TILE;

    public UpscalerSpec {
        Objects.requireNonNull(model, "model");
        model = model.strip().toLowerCase(Locale.ROOT);
        if (model.isEmpty()) {
            throw new IllegalArgumentException("model name is empty");
        }
        if (scale < 2 || scale > 8) {
            throw new IllegalArgumentException("scale must be 2..8, got " + scale);
        }
        device = device == null || device.isBlank() ? "auto" : device.strip().toLowerCase(Locale.ROOT);
        precision = precision == null || precision.isBlank() ? "auto" : precision.strip().toLowerCase(Locale.ROOT);
        if (tile < AUTO_TILE) {
            throw new IllegalArgumentException("tile must be auto (-1), 0 (whole frames) or a positive size, got "
                    + tile);
        }
        weights = weights == null || weights.isBlank() ? null : weights;
    }

    public static UpscalerSpec of(String model, int scale) {
        return new UpscalerSpec(model, scale, null, "auto", "auto", AUTO_TILE);
    }

    /** What the registry builds for this spec, a network running up to {@code maxBatch} frames per pass. */
    public UpscalerRequest request(int maxBatch) {
        return UpscalerRequest.builder(model, scale).weights(weights == null ? null : Path.of(weights)).device(device)
                .precision(precision).tile(tile).maxBatch(maxBatch).build();
    }

    @Override
    public String toString() {
        if (Upscalers.baselines().contains(model)) {
            return model + " x" + scale;
        }
        return model + " x" + scale + (weights == null ? "" : " weights=" + weights) + " on " + device
                + " (" + precision + (tile > 0 ? ", tile " + tile : tile == 0 ? ", whole frames" : "") + ")";
    }
}
