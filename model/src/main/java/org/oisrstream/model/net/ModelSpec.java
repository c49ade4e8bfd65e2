package org.oisrstream.model.net;

import java.util.List;
import java.util.Objects;

/** One of the paper's networks at one upscaling factor, e.g. lf-s x4. */
public record ModelSpec(Variant variant, int scale) {

    public static final List<Integer> SCALES = List.of(2, 3, 4);

    public ModelSpec {
        Objects.requireNonNull(variant, "variant");
        if (!SCALES.contains(scale)) {
            throw new IllegalArgumentException("unsupported scale " + scale + " (expected 2, 3 or 4)");
        }
    }

    public static ModelSpec of(String variant, int scale) {
        return new ModelSpec(Variant.parse(variant), scale);
    }

    public Architecture architecture() {
        return new Architecture(variant.block(), variant.blocks(), variant.features(), scale);
    }

    /** {@code "lf-s x4"}. */
    public String describe() {
        return variant.cliName() + " x" + scale;
    }

    @Override
    public String toString() {
        return describe();
    }
}
