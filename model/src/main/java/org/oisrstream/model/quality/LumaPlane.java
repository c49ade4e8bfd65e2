package org.oisrstream.model.quality;

import org.oisrstream.model.image.RgbImage;

/**
 * The luma channel Y of ITU-R BT.601 in studio range, as MATLAB's {@code rgb2ycbcr} computes it from an 8-bit image
 * in floating point: {@code Y = (65.481 R + 128.553 G + 24.966 B) / 255 + 16} (16..235), not rounded.
 * Row-major, {@code width * height} values.
 */
public record LumaPlane(int width, int height, double[] values) {

    public LumaPlane {
        if (width <= 0 || height <= 0 || values.length != (long) width * height) {
            throw new IllegalArgumentException("a " + width + "x" + height + " plane needs " + (long) width * height
                    + " values, got " + values.length);
        }
    }

    public static LumaPlane of(RgbImage image) {
        byte[] p = image.pixels();
        double[] y = new double[image.width() * image.height()];
        for (int i = 0, j = 0; i < y.length; i++, j += 3) {
            y[i] = (65.481 * (p[j] & 0xff) + 128.553 * (p[j + 1] & 0xff) + 24.966 * (p[j + 2] & 0xff)) / 255 + 16;
        }
        return new LumaPlane(image.width(), image.height(), y);
    }

    /** The plane without {@code border} pixels on each of its four sides. */
    public LumaPlane shave(int border) {
        if (border < 0) {
            throw new IllegalArgumentException("shave must not be negative, got " + border);
        }
        if (border == 0) {
            return this;
        }
        if (2 * border >= width || 2 * border >= height) {
            throw new IllegalArgumentException("shaving " + border + " pixels from each border leaves nothing of a "
                    + width + "x" + height + " image");
        }
        return crop(border, border, width - 2 * border, height - 2 * border);
    }

    /** Copy of the rectangle [x, x + w) x [y, y + h). */
    public LumaPlane crop(int x, int y, int w, int h) {
        if (x < 0 || y < 0 || w <= 0 || h <= 0 || x + w > width || y + h > height) {
            throw new IllegalArgumentException("crop " + w + "x" + h + "+" + x + "+" + y + " lies outside a "
                    + width + "x" + height + " plane");
        }
        double[] out = new double[w * h];
        for (int row = 0; row < h; row++) {
            System.arraycopy(values, (y + row) * width + x, out, row * w, w);
        }
        return new LumaPlane(w, h, out);
    }
}
