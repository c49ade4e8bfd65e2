package org.oisrstream.model.image;

/**
 * The eight flips and rotations of an image (the dihedral group of the square), written as an optional transpose
 * followed by optional horizontal and vertical flips. Used by the x8 self-ensemble of EDSR and OISR.
 */
public enum Dihedral {
    IDENTITY(false, false, false),
    FLIP_HORIZONTAL(false, true, false),
    FLIP_VERTICAL(false, false, true),
    ROTATE_180(false, true, true),
    TRANSPOSE(true, false, false),
    /** Transpose then flip horizontally: a clockwise quarter turn. */
    ROTATE_90_CLOCKWISE(true, true, false),
    /** Transpose then flip vertically: a counter-clockwise quarter turn. */
    ROTATE_90_COUNTERCLOCKWISE(true, false, true),
    ANTI_TRANSPOSE(true, true, true);

    private final boolean transpose;
    private final boolean flipHorizontal;
    private final boolean flipVertical;

    Dihedral(boolean transpose, boolean flipHorizontal, boolean flipVertical) {
        this.transpose = transpose;
        this.flipHorizontal = flipHorizontal;
        this.flipVertical = flipVertical;
    }

    /** Whether width and height trade places. */
    public boolean swapsAxes() {
        return transpose;
    }

    /** The transform that undoes this one. */
    public Dihedral inverse() {
        // (flips o transpose)^-1 = transpose o flips = (swapped flips) o transpose, since transposing exchanges the axes.
        return transpose ? of(true, flipVertical, flipHorizontal) : this;
    }

    public RgbImage apply(RgbImage image) {
        if (this == IDENTITY) {
            return image;
        }
        int inW = image.width();
        int inH = image.height();
        int outW = transpose ? inH : inW;
        int outH = transpose ? inW : inH;
        byte[] src = image.pixels();
        byte[] dst = new byte[src.length];
        for (int y = 0; y < outH; y++) {
            // Undo the flips on the output coordinates, then the transpose.
            int ty = flipVertical ? outH - 1 - y : y;
            for (int x = 0; x < outW; x++) {
                int tx = flipHorizontal ? outW - 1 - x : x;
                int sx = transpose ? ty : tx;
                int sy = transpose ? tx : ty;
                int s = (sy * inW + sx) * 3;
                int d = (y * outW + x) * 3;
                dst[d] = src[s];
                dst[d + 1] = src[s + 1];
                dst[d + 2] = src[s + 2];
            }
        }
        return new RgbImage(outW, outH, dst);
    }

    private static Dihedral of(boolean transpose, boolean flipHorizontal, boolean flipVertical) {
        for (Dihedral d : values()) {
            if (d.transpose == transpose && d.flipHorizontal == flipHorizontal && d.flipVertical == flipVertical) {
                return d;
            }
        }
        throw new AssertionError("all eight combinations are listed");
    }
}
