package org.oisrstream.model.infer;

import org.oisrstream.model.image.RgbImage;

/** PSNR over all RGB samples, for comparing two renderings of the same image in tests. */
final class Psnr {

    private Psnr() {
    }

    static double of(RgbImage a, RgbImage b) {
        if (a.width() != b.width() || a.height() != b.height()) {
            throw new IllegalArgumentException("sizes differ");
        }
        byte[] x = a.pixels();
        byte[] y = b.pixels();
        double sum = 0;
        for (int i = 0; i < x.length; i++) {
            double d = (x[i] & 0xff) - (y[i] & 0xff);
            sum += d * d;
        }
        double mse = sum / x.length;
        return mse == 0 ? Double.POSITIVE_INFINITY : 10 * Math.log10(255.0 * 255.0 / mse);
    }
}
