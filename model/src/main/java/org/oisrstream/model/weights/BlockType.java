package org.oisrstream.model.weights;

/**
 * The residual block of an OISR network, told apart in a state dict by its learned scale parameters
 * ({@code body.N.scale1..K}): LF has four, RK2 one, RK3 five. The convolution counts are those the networks in
 * {@code org.oisrstream.model.net} build ({@code convK} with a PReLU {@code reluK} each).
 */
public enum BlockType {
    /** Leapfrog block (OISR-LF): scale1..scale4. */
    LF(4, 4),
    /** Second-order Runge-Kutta block (OISR-RK2): scale1 only. */
    RK2(1, 4),
    /** Third-order Runge-Kutta block (OISR-RK3): scale1..scale5, three convolutions. */
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

    /**
     * The block type with this many scale parameters. The convolution count is only checked for RK3 (three): the
     * network's strict loading reports any other layout difference key by key.
     */
    static BlockType of(int scales, int convolutions) {
        for (BlockType t : values()) {
            if (t.scales == scales && (t != RK3 || convolutions == RK3.convolutions)) {
                return t;
            }
        }
        throw new IllegalArgumentException("unknown OISR block with " + scales + " scale parameters and "
                + convolutions + " convolutions (LF has scale1..4, RK2 scale1, RK3 scale1..5 and 3 convolutions)");
    }
}
