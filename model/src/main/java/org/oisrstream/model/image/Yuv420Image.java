package org.oisrstream.model.image;

import java.util.Objects;

/**
 * An 8-bit Y'CbCr 4:2:0 image in three planes without padding, the layout of FFmpeg's {@code yuv420p}: luma
 * width x height, each chroma plane ceil(width / 2) x ceil(height / 2), every chroma sample the mean of a 2 x 2
 * block of luma positions. Upscalers that can produce it directly save the encoder its RGB conversion. The
 * arrays are not copied: treat them as read-only once built.
 */
public record Yuv420Image(int width, int height, YuvMatrix matrix, byte[] y, byte[] cb, byte[] cr)
        implements Picture {

    public Yuv420Image {
        if (width <= 0 || height <= 0) {
            throw new IllegalArgumentException("image size must be positive, got " + width + "x" + height);
        }
        Objects.requireNonNull(matrix, "matrix");
        Objects.requireNonNull(y, "y");
        Objects.requireNonNull(cb, "cb");
        Objects.requireNonNull(cr, "cr");
        long chroma = (long) chromaWidth(width) * chromaHeight(height);
        if (y.length != (long) width * height || cb.length != chroma || cr.length != chroma) {
            throw new IllegalArgumentException("planes of " + y.length + ", " + cb.length + " and " + cr.length
                    + " bytes do not make a " + width + "x" + height + " 4:2:0 image");
        }
    }

    public int chromaWidth() {
        return chromaWidth(width);
    }

    public int chromaHeight() {
        return chromaHeight(height);
    }

    private static int chromaWidth(int width) {
        return (width + 1) / 2;
    }

    private static int chromaHeight(int height) {
        return (height + 1) / 2;
    }

    @Override
    public String toString() {
        return "Yuv420Image[" + width + "x" + height + ", " + matrix.name() + "]";
    }
}
