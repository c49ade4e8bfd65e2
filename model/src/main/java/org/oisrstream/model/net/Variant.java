package org.oisrstream.model.net;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** The five OISR networks of the paper, by the names the CLI uses. */
public enum Variant {
    LF_S("lf-s", BlockType.LF, 8, 64),
    RK2_S("rk2-s", BlockType.RK2, 8, 64),
    LF("lf", BlockType.LF, 8, 122),
    RK2("rk2", BlockType.RK2, 8, 122),
    RK3("rk3", BlockType.RK3, 22, 256);

    private final String cliName;
    private final BlockType block;
    private final int blocks;
    private final int features;

    Variant(String cliName, BlockType block, int blocks, int features) {
        this.cliName = cliName;
        this.block = block;
        this.blocks = blocks;
        this.features = features;
    }

    public String cliName() {
        return cliName;
    }

    public BlockType block() {
        return block;
    }

    /** Number of OISR blocks (B). */
    public int blocks() {
        return blocks;
    }

    /** Feature channels (F). */
    public int features() {
        return features;
    }

    /** Parses a CLI name such as {@code lf-s} or {@code RK3} (case-insensitive; {@code _} accepted for {@code -}). */
    public static Variant parse(String name) {
        String wanted = name.strip().toLowerCase(Locale.ROOT).replace('_', '-');
        for (Variant v : values()) {
            if (v.cliName.equals(wanted)) {
                return v;
            }
        }
        throw new IllegalArgumentException("unknown model '" + name + "' (expected one of " + names() + ")");
    }

    public static String names() {
        return Arrays.stream(values()).map(Variant::cliName).collect(Collectors.joining(", "));
    }

    @Override
    public String toString() {
        return cliName;
    }
}
