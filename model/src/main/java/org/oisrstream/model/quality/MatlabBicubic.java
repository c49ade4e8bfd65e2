package org.oisrstream.model.quality;

import java.util.LinkedHashMap;
import java.util.Map;
import org.oisrstream.model.image.RgbImage;

/**
 * MATLAB's {@code imresize(img, scale, 'bicubic')} for 8-bit RGB images, bit for bit: cubic kernel with a = -0.5,
 * kernel widened by 1/scale when shrinking (antialiasing), MATLAB's coordinate mapping
 * {@code u = x/scale + 0.5 * (1 - 1/scale)}, symmetric (mirrored) borders, output size {@code ceil(scale * size)},
 * the dimension with the smaller scale resized first (rows first on a tie), and every one-dimensional pass rounded
 * and clamped to 8 bits, as MATLAB does for uint8 images.
 *
 * <p>This is how the SR benchmarks' LR images were made ({@code imresize(hr, 1/S, 'bicubic')}) and the paper's
 * {@code Bicubic} baseline ({@code imresize(lr, S, 'bicubic')}).
 */
public final class MatlabBicubic {

    private static final int CACHED_CONTRIBUTIONS = 64;
    private static final Map<ContributionKey, ResizeContributions> CACHE =
            new LinkedHashMap<>(CACHED_CONTRIBUTIONS, 0.75f, true) {
                @Override
                protected boolean removeEldestEntry(Map.Entry<ContributionKey, ResizeContributions> eldest) {
                    return size() > CACHED_CONTRIBUTIONS;
                }
            };

    private record ContributionKey(int inLength, int outLength, double scale) {
    }

    private MatlabBicubic() {
    }

    /** {@code imresize(image, 1/factor, 'bicubic')}: the LR image the SR benchmarks use. */
    public static RgbImage downscale(RgbImage image, int factor) {
        requirePositive(factor);
        return resize(image, 1.0 / factor);
    }

    /** {@code imresize(image, factor, 'bicubic')}: the bicubic baseline. */
    public static RgbImage upscale(RgbImage image, int factor) {
        requirePositive(factor);
        return resize(image, factor);
    }

    /** {@code imresize(image, scale, 'bicubic')} with the same scale in both directions. */
    public static RgbImage resize(RgbImage image, double scale) {
        if (!(scale > 0) || Double.isInfinite(scale)) {
            throw new IllegalArgumentException("scale must be positive and finite, got " + scale);
        }
        int outWidth = outputLength(image.width(), scale);
        int outHeight = outputLength(image.height(), scale);
        // Equal scales: MATLAB's sort keeps dimension 1 (rows, i.e. the vertical pass) first.
        RgbImage vertical = resizeRows(image, contributions(image.height(), outHeight, scale));
        return resizeColumns(vertical, contributions(image.width(), outWidth, scale));
    }

    /** The largest top-left crop whose width and height are multiples of {@code factor}. */
    public static RgbImage cropToMultiple(RgbImage image, int factor) {
        requirePositive(factor);
        int w = image.width() - image.width() % factor;
        int h = image.height() - image.height() % factor;
        if (w == 0 || h == 0) {
            throw new IllegalArgumentException("a " + image.width() + "x" + image.height()
                    + " image is smaller than the scale factor " + factor);
        }
        return w == image.width() && h == image.height() ? image : image.crop(0, 0, w, h);
    }

    static int outputLength(int inLength, double scale) {
        double length = Math.ceil(scale * inLength);
        if (length < 1 || length > Integer.MAX_VALUE / 3) {
            throw new IllegalArgumentException("resizing " + inLength + " pixels by " + scale
                    + " gives an unusable length " + length);
        }
        return (int) length;
    }

    private static ResizeContributions contributions(int inLength, int outLength, double scale) {
        ContributionKey key = new ContributionKey(inLength, outLength, scale);
        synchronized (CACHE) {
            ResizeContributions cached = CACHE.get(key);
            if (cached != null) {
                return cached;
            }
        }
        ResizeContributions computed = ResizeContributions.compute(inLength, outLength, scale, true);
        synchronized (CACHE) {
            CACHE.put(key, computed);
        }
        return computed;
    }

    /** Resamples along y: each output row is a weighted sum of whole input rows. */
    private static RgbImage resizeRows(RgbImage in, ResizeContributions c) {
        int rowBytes = in.width() * 3;
        byte[] src = in.pixels();
        byte[] dst = new byte[c.outLength() * rowBytes];
        double[] acc = new double[rowBytes];
        int taps = c.taps();
        int[] indices = c.indices();
        double[] weights = c.weights();
        for (int o = 0; o < c.outLength(); o++) {
            java.util.Arrays.fill(acc, 0);
            for (int k = 0; k < taps; k++) {
                double w = weights[o * taps + k];
                if (w == 0) {
                    continue; // adds exactly 0 to every sum
                }
                int rowStart = indices[o * taps + k] * rowBytes;
                for (int i = 0; i < rowBytes; i++) {
                    acc[i] += w * (src[rowStart + i] & 0xff);
                }
            }
            int outStart = o * rowBytes;
            for (int i = 0; i < rowBytes; i++) {
                dst[outStart + i] = toUint8(acc[i]);
            }
        }
        return new RgbImage(in.width(), c.outLength(), dst);
    }

    /** Resamples along x within each row. */
    private static RgbImage resizeColumns(RgbImage in, ResizeContributions c) {
        int height = in.height();
        int inRowBytes = in.width() * 3;
        int outWidth = c.outLength();
        byte[] src = in.pixels();
        byte[] dst = new byte[height * outWidth * 3];
        int taps = c.taps();
        int[] indices = c.indices();
        double[] weights = c.weights();
        for (int y = 0; y < height; y++) {
            int inRow = y * inRowBytes;
            int outRow = y * outWidth * 3;
            for (int o = 0; o < outWidth; o++) {
                double r = 0;
                double g = 0;
                double b = 0;
                for (int k = 0; k < taps; k++) {
                    double w = weights[o * taps + k];
                    int p = inRow + indices[o * taps + k] * 3;
                    r += w * (src[p] & 0xff);
                    g += w * (src[p + 1] & 0xff);
                    b += w * (src[p + 2] & 0xff);
                }
                dst[outRow + o * 3] = toUint8(r);
                dst[outRow + o * 3 + 1] = toUint8(g);
                dst[outRow + o * 3 + 2] = toUint8(b);
            }
        }
        return new RgbImage(outWidth, height, dst);
    }

    /** MATLAB's double-to-uint8 conversion: round half away from zero, saturate. */
    private static byte toUint8(double v) {
        if (v <= 0) {
            return 0;
        }
        if (v >= 255) {
            return (byte) 255;
        }
        return (byte) (int) (v + 0.5);
    }

    private static void requirePositive(int factor) {
        if (factor < 1) {
            throw new IllegalArgumentException("scale factor must be at least 1, got " + factor);
        }
    }
}
