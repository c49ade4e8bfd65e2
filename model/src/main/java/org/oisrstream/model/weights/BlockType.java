package org.oisrstream.model.weights;

/**
 * The residual block of an OISR network, told apart in a state dict by its learned scale parameters
 * ({@code body.N.scaleK}) and convolutions ({@code body.N.convK.weight}).
 */
public enum BlockType {
    /** Leapfrog block (OISR-LF): two convolutions, scale1..scale4. */
    LF(4, 2),
    /** Second-order Runge-Kutta block (OISR-RK2): two convolutions, scale1 only. */
    RK2(1, 2),
    /** Third-order Runge-Kutta block (OISR-RK3): three convolutions, scale1..scale5. */
    RK3(5, 3);

    private final int scales;
    private final int convolutions;

    BlockType(int scales, int convolutions) {
        this.scales = scales;
        this.convolutions = convolutions;
    }

    public int scales() {
        return scales;
    }

    public int convolutions() {
        return convolutions;
    }

    static BlockType of(int scales, int convolutions) {
        for (BlockType t : values()) {
            if (t.scales == scales && t.convolutions == convolutions) {
                return t;
            }
        }
        throw new IllegalArgumentException("unknown OISR block with " + scales + " scale parameters and "
                + convolutions + " convolutions (LF has 4 and 2, RK2 1 and 2, RK3 5 and 3)");
    }
}
