package org.oisrstream.model.quality;

import org.oisrstream.model.image.RgbImage;

/**
 * Image quality the way the SR papers (and OISR's tables) report it: PSNR and SSIM on the luma Y of BT.601
 * ({@link LumaPlane}), computed in double precision from the 8-bit RGB images, with {@code shave} pixels (the scale
 * factor, by convention) removed from every border. When the SR and HR images differ in size, both are first cropped
 * to their common top-left part (in practice: HR cropped to LR size x scale), as common SR evaluation code does.
 */
public final class QualityMetrics {

    private static final double PEAK = 255;

    private QualityMetrics() {
    }

    /** PSNR in dB on Y with {@code shave} border pixels removed; infinite for identical images. */
    public static double psnrY(RgbImage sr, RgbImage hr, int shave) {
        LumaPlane[] planes = shavedLuma(sr, hr, shave);
        return psnr(planes[0], planes[1]);
    }

    /** Mean SSIM on Y with {@code shave} border pixels removed (see {@link Ssim} for the exact settings). */
    public static double ssimY(RgbImage sr, RgbImage hr, int shave) {
        LumaPlane[] planes = shavedLuma(sr, hr, shave);
        return Ssim.mean(planes[0], planes[1]);
    }

    /** PSNR and SSIM on Y with {@code shave} border pixels removed, computing Y once. */
    public static Quality qualityY(RgbImage sr, RgbImage hr, int shave) {
        LumaPlane[] planes = shavedLuma(sr, hr, shave);
        return new Quality(psnr(planes[0], planes[1]), Ssim.mean(planes[0], planes[1]));
    }

    /** PSNR in dB over all three RGB channels of two frames of one size, no shave: for comparing video frames. */
    public static double psnrRgb(RgbImage a, RgbImage b) {
        requireSameSize(a, b);
        byte[] p = a.pixels();
        byte[] q = b.pixels();
        long squared = 0;
        for (int i = 0; i < p.length; i++) {
            int d = (p[i] & 0xff) - (q[i] & 0xff);
            squared += d * d;
        }
        return psnrFromMse((double) squared / p.length);
    }

    /** PSNR in dB on Y of two frames of one size, no shave: for comparing video frames on the paper's channel. */
    public static double psnrY(RgbImage a, RgbImage b) {
        requireSameSize(a, b);
        return psnr(LumaPlane.of(a), LumaPlane.of(b));
    }

    /** PSNR in dB of two luma planes of one size. */
    public static double psnr(LumaPlane a, LumaPlane b) {
        if (a.width() != b.width() || a.height() != b.height()) {
            throw new IllegalArgumentException("PSNR needs planes of one size, got " + a.width() + "x" + a.height()
                    + " and " + b.width() + "x" + b.height());
        }
        double[] x = a.values();
        double[] y = b.values();
        double squared = 0;
        for (int i = 0; i < x.length; i++) {
            double d = x[i] - y[i];
            squared += d * d;
        }
        return psnrFromMse(squared / x.length);
    }

    /** Mean SSIM of two luma planes of one size, at least 11x11. */
    public static double ssim(LumaPlane a, LumaPlane b) {
        return Ssim.mean(a, b);
    }

    private static double psnrFromMse(double mse) {
        return mse == 0 ? Double.POSITIVE_INFINITY : 10 * Math.log10(PEAK * PEAK / mse);
    }

    private static LumaPlane[] shavedLuma(RgbImage sr, RgbImage hr, int shave) {
        int w = Math.min(sr.width(), hr.width());
        int h = Math.min(sr.height(), hr.height());
        RgbImage srCommon = sr.width() == w && sr.height() == h ? sr : sr.crop(0, 0, w, h);
        RgbImage hrCommon = hr.width() == w && hr.height() == h ? hr : hr.crop(0, 0, w, h);
        return new LumaPlane[] {LumaPlane.of(srCommon).shave(shave), LumaPlane.of(hrCommon).shave(shave)};
    }

    private static void requireSameSize(RgbImage a, RgbImage b) {
        if (a.width() != b.width() || a.height() != b.height()) {
            throw new IllegalArgumentException("frames differ in size: " + a.width() + "x" + a.height() + " and "
                    + b.width() + "x" + b.height());
        }
    }
}
