package org.oisrstream.model.net;

/** The three OISR residual blocks, each a discretisation of an ODE step. */
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

    OisrBlock create(long features) {
        return switch (this) {
            case LF -> new LeapfrogBlock(features);
            case RK2 -> new Rk2Block(features);
            case RK3 -> new Rk3Block(features);
        };
    }
}
