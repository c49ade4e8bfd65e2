package org.oisrstream.jobs.eval;

import java.util.List;
import org.oisrstream.model.eval.SetResult;

/**
 * Everything {@code oisr eval} measured, as written to {@code --json}.
 *
 * @param precision  the number format the network ran in ({@code fp32}, {@code bf16}, {@code fp16}); null for the
 *                   Java baselines, which compute in double
 * @param convention how the numbers were computed, in words
 */
public record EvalReport(String model, String method, int scale, boolean selfEnsemble, String upscaler, String device,
                         String precision, String convention, List<SetReport> sets) {

    public record SetReport(String dataset, String layout, int images, double psnr, double ssim,
                            double secondsPerImage, List<ImageReport> perImage) {
    }

    public record ImageReport(String name, double psnr, double ssim, double seconds) {
    }

    public static SetReport setReport(SetResult result, String layout) {
        List<ImageReport> images = result.images().stream()
                .map(i -> new ImageReport(i.name(), i.quality().psnr(), i.quality().ssim(), i.seconds()))
                .toList();
        return new SetReport(result.dataset(), layout, images.size(), result.mean().psnr(), result.mean().ssim(),
                result.secondsPerImage(), images);
    }

    public static String convention(int scale) {
        return "mean over images of PSNR (dB) and SSIM on Y = (65.481 R + 128.553 G + 24.966 B) / 255 + 16 in double,"
                + " " + scale + " pixels shaved from each border, HR cropped to the SR size;"
                + " SSIM as ssim_index.m (11x11 Gaussian, sigma 1.5, K1 0.01, K2 0.03, L 255, valid);"
                + " seconds = upscale wall time per image";
    }

    /**
     * The line under the table that says which precision ran, and how to get the published fp32 numbers when it was
     * not fp32.
     *
     * @param asked whether {@code --precision} was given (else {@code auto} chose)
     */
    public String precisionNote(boolean asked) {
        if (precision == null) {
            return "Precision: not applicable (a Java baseline, no network).";
        }
        return "Precision: " + precision + (asked ? "" : " (chosen by --precision auto)")
                + (precision.equals("fp32") ? "." : "; the published tables are fp32: add --precision fp32 to"
                + " reproduce them.");
    }

    /** The paper-style table: one row, a PSNR / SSIM column per set, then seconds per image and the device. */
    public String markdownTable() {
        StringBuilder header = new StringBuilder("| Method | Scale |");
        StringBuilder rule = new StringBuilder("|---|---|");
        StringBuilder row = new StringBuilder("| " + method + " | x" + scale + " |");
        double seconds = 0;
        int images = 0;
        for (SetReport set : sets) {
            header.append(' ').append(set.dataset()).append(" PSNR / SSIM |");
            rule.append("---|");
            row.append(String.format(java.util.Locale.ROOT, " %.2f / %.4f |", set.psnr(), set.ssim()));
            seconds += set.secondsPerImage() * set.images();
            images += set.images();
        }
        header.append(" s / image | Device |");
        rule.append("---|---|");
        row.append(String.format(java.util.Locale.ROOT, " %.3f | %s |", seconds / images, device));
        return header + "\n" + rule + "\n" + row + "\n";
    }
}
