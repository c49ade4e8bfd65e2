package org.oisrstream.model.weights;

import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The published OISR variants: residual blocks, feature channels and block type. The networks themselves are built
 * elsewhere; weights code uses this table to name what a state dict holds ("lf-s x2").
 */
public record OisrVariantSpec(String name, int blocks, int features, BlockType blockType) {

    public static final List<OisrVariantSpec> ALL = List.of(
            new OisrVariantSpec("lf-s", 8, 64, BlockType.LF),
            new OisrVariantSpec("rk2-s", 8, 64, BlockType.RK2),
            new OisrVariantSpec("lf", 8, 122, BlockType.LF),
            new OisrVariantSpec("rk2", 8, 122, BlockType.RK2),
            new OisrVariantSpec("rk3", 22, 256, BlockType.RK3));

    /** Upscaling factors the OISR tails support. */
    public static final List<Integer> SCALES = List.of(2, 3, 4);

    public static OisrVariantSpec byName(String name) {
        String wanted = name.toLowerCase(Locale.ROOT);
        return ALL.stream().filter(v -> v.name.equals(wanted)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown OISR model '" + name + "' (known: "
                        + names() + ")"));
    }

    public static Optional<OisrVariantSpec> matching(int blocks, int features, BlockType blockType) {
        return ALL.stream()
                .filter(v -> v.blocks == blocks && v.features == features && v.blockType == blockType)
                .findFirst();
    }

    public static String names() {
        return ALL.stream().map(OisrVariantSpec::name).collect(Collectors.joining(", "));
    }
}
