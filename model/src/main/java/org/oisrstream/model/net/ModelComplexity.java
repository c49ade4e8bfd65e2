package org.oisrstream.model.net;

/**
 * Parameter count and multiply-accumulates of an OISR network, computed from its architecture.
 *
 * <p>MACs follow the paper's Tables 2 and 3: every 3x3 convolution (head, blocks, body tail, upsampler, last
 * conv) counted as {@code in * out * 9} per output pixel at the resolution it runs at; biases, PReLUs, scalings,
 * additions, pixel shuffles and the 1x1 mean shifts are not counted. The LR input for an output of W x H is
 * floor(W / s) x floor(H / s), so "720p" at x3 is 426 x 240 -> 1278 x 720, which reproduces the printed numbers.
 */
public record ModelComplexity(Architecture architecture) {

    public static ModelComplexity of(ModelSpec spec) {
        return new ModelComplexity(spec.architecture());
    }

    /** Learnable parameters plus the fixed mean shifts, as the official code's parameter count reports. */
    public long parameters() {
        long f = architecture.features();
        long meanShifts = 2 * conv(3, 3, 1);
        long head = conv(3, f, 3);
        BlockType type = architecture.block();
        long block = type.convs() * (conv(f, f, 3) + f) + type.scales();
        long body = architecture.blocks() * block + conv(f, f, 3);
        long tail = switch (architecture.scale()) {
            case 2 -> conv(f, 4 * f, 3);
            case 3 -> conv(f, 9 * f, 3);
            case 4 -> 2 * conv(f, 4 * f, 3);
            default -> throw new IllegalStateException();
        } + conv(f, 3, 3);
        return meanShifts + head + body + tail;
    }

    /** Fails unless {@code net} has exactly {@link #parameters()} parameters (guards the analytic model). */
    public void checkAgainst(OisrNet net) {
        if (!net.architecture().equals(architecture)) {
            throw new IllegalArgumentException("network is " + net.architecture().describe() + ", not "
                    + architecture.describe());
        }
        long actual = net.parameterCount();
        if (actual != parameters()) {
            throw new IllegalStateException(architecture.describe() + ": module has " + actual
                    + " parameters, analytic count says " + parameters());
        }
    }

    /** Multiply-accumulates of one forward pass producing (about) {@code outWidth x outHeight} pixels. */
    public long macs(int outWidth, int outHeight) {
        int s = architecture.scale();
        return macsForInput(outWidth / s, outHeight / s);
    }

    /** Multiply-accumulates of one forward pass on an LR input of {@code width x height}. */
    public long macsForInput(int width, int height) {
        return trunkMacsForInput(width, height) + reconstructionMacsForInput(width, height);
    }

    /** Multiply-accumulates of {@code OisrNet.features}: head, blocks and body convolution, all at LR. */
    public long trunkMacsForInput(int width, int height) {
        long f = architecture.features();
        long lr = (long) width * height;
        long k = 9;
        long trunkConvs = 1L + (long) architecture.blocks() * architecture.block().convs();
        return 3 * f * k * lr                            // head
                + trunkConvs * f * f * k * lr;           // blocks + body conv
    }

    /** Multiply-accumulates of {@code OisrNet.reconstruct}: the upsampler's convolutions and the last one at HR. */
    public long reconstructionMacsForInput(int width, int height) {
        long f = architecture.features();
        long lr = (long) width * height;
        long k = 9;
        int s = architecture.scale();
        long macs;
        if (s == 4) {
            macs = f * 4 * f * k * lr + f * 4 * f * k * 4 * lr;
        } else {
            macs = f * s * s * f * k * lr;
        }
        return macs + f * 3 * k * lr * s * s;           // last conv at HR
    }

    /**
     * Multiply-accumulates {@code OisrNet.reconstruct} executes when folded ({@link OisrNet#foldReconstruction}):
     * the 5x5 convolution F -> 3 s^2 at LR, and the layer-by-layer reconstruction of the four edge bands; frames
     * too narrow to fold run layer by layer.
     */
    public long foldedReconstructionMacsForInput(int width, int height) {
        if (width < FoldedReconstruction.MIN_SIDE || height < FoldedReconstruction.MIN_SIDE) {
            return reconstructionMacsForInput(width, height);
        }
        long s2 = (long) architecture.scale() * architecture.scale();
        long kernel = (long) FoldedReconstruction.KERNEL * FoldedReconstruction.KERNEL;
        long folded = 3 * s2 * architecture.features() * kernel * width * height;
        int band = FoldedReconstruction.BAND;
        return folded + 2 * reconstructionMacsForInput(width, band) + 2 * reconstructionMacsForInput(band, height);
    }

    /** Multiply-accumulates a forward pass executes, with the reconstruction folded or layer by layer. */
    public long executedMacsForInput(int width, int height, boolean foldedReconstruction) {
        return trunkMacsForInput(width, height) + (foldedReconstruction ? foldedReconstructionMacsForInput(width, height)
                : reconstructionMacsForInput(width, height));
    }

    private static long conv(long in, long out, long kernel) {
        return in * out * kernel * kernel + out;
    }
}
