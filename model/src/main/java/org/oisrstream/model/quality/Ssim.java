package org.oisrstream.model.quality;

/**
 * Mean SSIM as Wang et al.'s MATLAB reference {@code ssim_index.m} / {@code ssim.m} computes it (without ssim.m's
 * automatic downsampling of large images): 11x11 Gaussian window with sigma 1.5, normalised; K1 = 0.01,
 * K2 = 0.03, L = 255; statistics filtered with {@code filter2(window, ., 'valid')}; the mean of the SSIM map.
 * The Gaussian window is separable, so it is applied as a row pass and a column pass.
 */
final class Ssim {

    static final int WINDOW = 11;
    private static final double SIGMA = 1.5;
    private static final double C1 = Math.pow(0.01 * 255, 2);
    private static final double C2 = Math.pow(0.03 * 255, 2);
    private static final double[] GAUSSIAN = gaussian();

    private Ssim() {
    }

    static double mean(LumaPlane a, LumaPlane b) {
        if (a.width() != b.width() || a.height() != b.height()) {
            throw new IllegalArgumentException("SSIM needs planes of one size, got " + a.width() + "x" + a.height()
                    + " and " + b.width() + "x" + b.height());
        }
        int w = a.width();
        int h = a.height();
        if (w < WINDOW || h < WINDOW) {
            throw new IllegalArgumentException("SSIM needs at least " + WINDOW + "x" + WINDOW + " pixels after shaving, got "
                    + w + "x" + h);
        }
        double[] x = a.values();
        double[] y = b.values();
        double[] xx = new double[x.length];
        double[] yy = new double[x.length];
        double[] xy = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            xx[i] = x[i] * x[i];
            yy[i] = y[i] * y[i];
            xy[i] = x[i] * y[i];
        }
        double[] mu1 = filterValid(x, w, h);
        double[] mu2 = filterValid(y, w, h);
        double[] ex2 = filterValid(xx, w, h);
        double[] ey2 = filterValid(yy, w, h);
        double[] exy = filterValid(xy, w, h);
        double sum = 0;
        for (int i = 0; i < mu1.length; i++) {
            double mu1Sq = mu1[i] * mu1[i];
            double mu2Sq = mu2[i] * mu2[i];
            double mu1Mu2 = mu1[i] * mu2[i];
            double sigma1Sq = ex2[i] - mu1Sq;
            double sigma2Sq = ey2[i] - mu2Sq;
            double sigma12 = exy[i] - mu1Mu2;
            sum += ((2 * mu1Mu2 + C1) * (2 * sigma12 + C2)) / ((mu1Sq + mu2Sq + C1) * (sigma1Sq + sigma2Sq + C2));
        }
        return sum / mu1.length;
    }

    /** {@code filter2(window, plane, 'valid')}: (w - 10) x (h - 10) values. */
    private static double[] filterValid(double[] plane, int w, int h) {
        int ow = w - WINDOW + 1;
        int oh = h - WINDOW + 1;
        double[] rows = new double[ow * h];
        for (int yy = 0; yy < h; yy++) {
            int in = yy * w;
            int out = yy * ow;
            for (int xx = 0; xx < ow; xx++) {
                double s = 0;
                for (int k = 0; k < WINDOW; k++) {
                    s += GAUSSIAN[k] * plane[in + xx + k];
                }
                rows[out + xx] = s;
            }
        }
        double[] result = new double[ow * oh];
        for (int yy = 0; yy < oh; yy++) {
            int out = yy * ow;
            for (int k = 0; k < WINDOW; k++) {
                double g = GAUSSIAN[k];
                int in = (yy + k) * ow;
                for (int xx = 0; xx < ow; xx++) {
                    result[out + xx] += g * rows[in + xx];
                }
            }
        }
        return result;
    }

    /** The 1-D factor of MATLAB's {@code fspecial('gaussian', 11, 1.5)}, normalised to sum 1. */
    private static double[] gaussian() {
        double[] g = new double[WINDOW];
        double sum = 0;
        for (int i = 0; i < WINDOW; i++) {
            double d = i - (WINDOW - 1) / 2.0;
            g[i] = Math.exp(-d * d / (2 * SIGMA * SIGMA));
            sum += g[i];
        }
        for (int i = 0; i < WINDOW; i++) {
            g[i] /= sum;
        }
        return g;
    }
}
