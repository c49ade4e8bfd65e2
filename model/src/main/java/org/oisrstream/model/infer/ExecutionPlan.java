package org.oisrstream.model.infer;

import java.util.Objects;

/**
 * How one forward pass runs: {@code batch} frames of one size together, and either the whole network tile by
 * tile ({@code network} enabled: frames too large for the memory budget, or a tile the user chose), or the
 * feature trunk on whole frames followed by the reconstruction (upsampler and last convolution) in
 * {@code reconstruction} strips.
 */
public record ExecutionPlan(int batch, Tiling network, Tiling reconstruction) {

    public ExecutionPlan {
        if (batch < 1) {
            throw new IllegalArgumentException("batch must be >= 1, got " + batch);
        }
        Objects.requireNonNull(network, "network");
        Objects.requireNonNull(reconstruction, "reconstruction");
        if (network.enabled() && reconstruction.enabled()) {
            throw new IllegalArgumentException("a tiled network runs each tile whole: no reconstruction strips");
        }
    }

    public static ExecutionPlan whole(int batch) {
        return new ExecutionPlan(batch, Tiling.none(), Tiling.none());
    }

    public ExecutionPlan withBatch(int newBatch) {
        return new ExecutionPlan(newBatch, network, reconstruction);
    }

    @Override
    public String toString() {
        String tiles = network.enabled() ? "network in " + network
                : reconstruction.enabled() ? "trunk whole, reconstruction in " + reconstruction : "whole frames";
        return "batch " + batch + ", " + tiles;
    }
}
