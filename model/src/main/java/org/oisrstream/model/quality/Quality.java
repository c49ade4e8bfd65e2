package org.oisrstream.model.quality;

/** PSNR in dB and SSIM (0..1) of one image or the mean over a set; PSNR is infinite for identical images. */
public record Quality(double psnr, double ssim) {

    public static Quality mean(java.util.Collection<Quality> qualities) {
        if (qualities.isEmpty()) {
            throw new IllegalArgumentException("no qualities to average");
        }
        double psnr = 0;
        double ssim = 0;
        for (Quality q : qualities) {
            psnr += q.psnr;
            ssim += q.ssim;
        }
        return new Quality(psnr / qualities.size(), ssim / qualities.size());
    }

    @Override
    public String toString() {
        return String.format(java.util.Locale.ROOT, "%.2f dB / %.4f", psnr, ssim);
    }
}
