package org.oisrstream.model.image;

import java.util.Objects;

/**
 * An 8-bit RGB image, pixels interleaved row by row (R, G, B, R, G, B, ...), the layout FFmpeg's
 * {@code rgb24} and a height x width x 3 uint8 tensor share. It is the currency between media code,
 * metrics and the networks; the array is not copied, so treat it as read-only once built.
 */
public record RgbImage(int width, int height, byte[] pixels) implements Picture {

    public RgbImage {
        if (width <= 0 || height <= 0) {
            throw new IllegalArgumentException("image size must be positive, got " + width + "x" + height);
        }
        Objects.requireNonNull(pixels, "pixels");
        if (pixels.length != (long) width * height * 3) {
            throw new IllegalArgumentException("expected " + (long) width * height * 3 + " bytes for a "
                    + width + "x" + height + " RGB image, got " + pixels.length);
        }
    }

    public static RgbImage blank(int width, int height) {
        return new RgbImage(width, height, new byte[Math.multiplyExact(Math.multiplyExact(width, height), 3)]);
    }

    /** Channel {@code c} (0 = R) of pixel (x, y), 0..255. */
    public int get(int x, int y, int c) {
        return pixels[(y * width + x) * 3 + c] & 0xff;
    }

    /** Copy of the rectangle [x, x + w) x [y, y + h). */
    public RgbImage crop(int x, int y, int w, int h) {
        if (x < 0 || y < 0 || w <= 0 || h <= 0 || x + w > width || y + h > height) {
            throw new IllegalArgumentException("crop " + w + "x" + h + "+" + x + "+" + y
                    + " lies outside a " + width + "x" + height + " image");
        }
        byte[] out = new byte[w * h * 3];
        for (int row = 0; row < h; row++) {
            System.arraycopy(pixels, ((y + row) * width + x) * 3, out, row * w * 3, w * 3);
        }
        return new RgbImage(w, h, out);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RgbImage other && width == other.width && height == other.height
                && java.util.Arrays.equals(pixels, other.pixels);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * width + height) + java.util.Arrays.hashCode(pixels);
    }

    @Override
    public String toString() {
        return "RgbImage[" + width + "x" + height + "]";
    }
}
