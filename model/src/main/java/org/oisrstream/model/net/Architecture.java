package org.oisrstream.model.net;

import java.util.Optional;

/**
 * The hyper-parameters an OISR network is built from. The paper's networks are {@link ModelSpec}s; other
 * sizes (small ones in tests, experiments in training) are allowed.
 */
public record Architecture(BlockType block, int blocks, int features, int scale) {

    public Architecture {
        if (blocks < 1 || features < 1) {
            throw new IllegalArgumentException("blocks and features must be positive, got B=" + blocks + " F=" + features);
        }
        if (!ModelSpec.SCALES.contains(scale)) {
            throw new IllegalArgumentException("unsupported scale " + scale + " (expected 2, 3 or 4)");
        }
    }

    /** The paper's network with these hyper-parameters, if there is one. */
    public Optional<ModelSpec> spec() {
        for (Variant v : Variant.values()) {
            if (v.block() == block && v.blocks() == blocks && v.features() == features) {
                return Optional.of(new ModelSpec(v, scale));
            }
        }
        return Optional.empty();
    }

    /** {@code "lf-s x4"} for a paper network, else e.g. {@code "LF B=2 F=8 x2"}. */
    public String describe() {
        return spec().map(ModelSpec::describe)
                .orElse(block + " B=" + blocks + " F=" + features + " x" + scale);
    }
}
