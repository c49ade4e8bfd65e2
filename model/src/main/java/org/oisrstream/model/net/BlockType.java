package org.oisrstream.model.net;

/**
 * The three OISR residual blocks, each a discretisation of an ODE step. In a state dict a block is told apart by its
 * learned scale parameters ({@code body.N.scale1..K}) and convolutions ({@code convK} with a PReLU {@code reluK} each).
 */
public enum BlockType {
    /** Leapfrog (explicit midpoint chain): 4 convolutions, learnable scales {@code scale1..scale4}. */
    LF(4, 4),
    /** Second-order Runge-Kutta (Heun): 4 convolutions, one learnable scale. */
    RK2(4, 1),
    /** Third-order Runge-Kutta: 3 convolutions, five learnable scales. */
    RK3(3, 5);

    private final int convs;
    private final int scales;

    BlockType(int convs, int scales) {
        this.convs = convs;
        this.scales = scales;
    }

    /** Number of 3x3 F->F convolutions (and of PReLUs) in one block. */
    public int convs() {
        return convs;
    }

    /** Number of learnable scalar parameters in one block. */
    public int scales() {
        return scales;
    }

    /**
     * The block type with this many scale parameters. The convolution count is only checked for RK3 (three): strict
     * loading reports any other layout difference key by key.
     */
    static BlockType of(int scales, int convs) {
        for (BlockType t : values()) {
            if (t.scales == scales && (t != RK3 || convs == RK3.convs)) {
                return t;
            }
        }
        throw new IllegalArgumentException("unknown OISR block with " + scales + " scale parameters and "
                + convs + " convolutions (LF has scale1..4, RK2 scale1, RK3 scale1..5 and 3 convolutions)");
    }

    OisrBlock create(long features) {
        return switch (this) {
            case LF -> new LeapfrogBlock(features);
            case RK2 -> new Rk2Block(features);
            case RK3 -> new Rk3Block(features);
        };
    }
}
