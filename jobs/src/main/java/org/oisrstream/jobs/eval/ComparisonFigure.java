package org.oisrstream.jobs.eval;

import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.util.List;
import java.util.Locale;
import org.oisrstream.model.data.EvalPair;
import org.oisrstream.model.image.ImageFiles;
import org.oisrstream.model.image.RgbImage;
import org.oisrstream.model.quality.Quality;

/**
 * A figure like the paper's visual comparisons: the same crop of LR (nearest-neighbour enlarged), bicubic, SR and HR
 * side by side, each labelled with its name and the whole image's PSNR / SSIM.
 *
 * <p>The crop is the square window (aligned to the scale, so the LR crop matches exactly) where SR and bicubic differ
 * most in summed absolute RGB difference; when they are identical (the bicubic model itself), where bicubic differs
 * most from HR.
 */
public final class ComparisonFigure {

    static final int CROP = 64;
    private static final int PANEL = 192;
    private static final int GAP = 8;
    private static final int TITLE_HEIGHT = 24;
    private static final int LABEL_HEIGHT = 40;

    /**
     * A crop of the SR-sized images in HR pixels; x, y and size are multiples of the scale.
     *
     * @param reason why this window, for the figure's title
     */
    public record CropWindow(int x, int y, int size, String reason) {
    }

    static final String SR_DIFFERS = "where SR and bicubic differ most";
    static final String BICUBIC_MISSES = "where bicubic differs most from HR";
    static final String CENTRE = "centre (SR, bicubic and HR are identical)";

    private record Panel(String name, String detail, RgbImage crop) {
    }

    private ComparisonFigure() {
    }

    public static BufferedImage render(String dataset, EvalPair pair, int scale, RgbImage bicubic,
                                       Quality bicubicQuality, String method, RgbImage sr, Quality srQuality) {
        RgbImage hr = pair.hr().crop(0, 0, Math.min(pair.hr().width(), sr.width()),
                Math.min(pair.hr().height(), sr.height()));
        CropWindow w = chooseCrop(sr, bicubic, hr, scale);
        int lrSize = w.size() / scale;
        int zoom = Math.max(1, PANEL / w.size());
        List<Panel> panels = List.of(
                new Panel("LR (nearest)", "input", enlarge(pair.lr().crop(w.x() / scale, w.y() / scale, lrSize, lrSize),
                        scale * zoom)),
                new Panel("Bicubic", format(bicubicQuality), enlarge(bicubic.crop(w.x(), w.y(), w.size(), w.size()), zoom)),
                new Panel(method, format(srQuality), enlarge(sr.crop(w.x(), w.y(), w.size(), w.size()), zoom)),
                new Panel("HR", "ground truth", enlarge(hr.crop(w.x(), w.y(), w.size(), w.size()), zoom)));
        String title = String.format(Locale.ROOT, "%s %s x%d: %dx%d crop at (%d, %d), %s", dataset, pair.name(),
                scale, w.size(), w.size(), w.x(), w.y(), w.reason());
        return draw(title, panels);
    }

    /** The aligned window where SR and bicubic differ most; if they are equal, bicubic and HR; else the centre. */
    public static CropWindow chooseCrop(RgbImage sr, RgbImage bicubic, RgbImage hr, int scale) {
        int limit = Math.min(CROP, Math.min(sr.width(), sr.height()));
        int size = limit - limit % scale;
        if (size == 0) {
            throw new IllegalArgumentException("image " + sr.width() + "x" + sr.height() + " is too small to crop at x" + scale);
        }
        CropWindow best = bestWindow(absoluteDifference(sr, bicubic), sr.width(), sr.height(), size, scale, SR_DIFFERS);
        if (best == null) {
            best = bestWindow(absoluteDifference(bicubic, hr), sr.width(), sr.height(), size, scale, BICUBIC_MISSES);
        }
        if (best == null) {
            int x = (sr.width() - size) / 2;
            int y = (sr.height() - size) / 2;
            best = new CropWindow(x - x % scale, y - y % scale, size, CENTRE);
        }
        return best;
    }

    /** The window with the largest sum, or null if every sum is zero. */
    private static CropWindow bestWindow(long[] integral, int w, int h, int size, int scale, String reason) {
        long bestSum = 0;
        CropWindow best = null;
        for (int y = 0; y + size <= h; y += scale) {
            for (int x = 0; x + size <= w; x += scale) {
                long sum = integral[(y + size) * (w + 1) + x + size] - integral[y * (w + 1) + x + size]
                        - integral[(y + size) * (w + 1) + x] + integral[y * (w + 1) + x];
                if (sum > bestSum) {
                    bestSum = sum;
                    best = new CropWindow(x, y, size, reason);
                }
            }
        }
        return best;
    }

    /** Summed-area table of |a - b| over the channels, (w + 1) x (h + 1). */
    private static long[] absoluteDifference(RgbImage a, RgbImage b) {
        int w = a.width();
        int h = a.height();
        long[] integral = new long[(w + 1) * (h + 1)];
        byte[] p = a.pixels();
        byte[] q = b.pixels();
        for (int y = 0; y < h; y++) {
            long rowSum = 0;
            for (int x = 0; x < w; x++) {
                int i = (y * w + x) * 3;
                rowSum += Math.abs((p[i] & 0xff) - (q[i] & 0xff)) + Math.abs((p[i + 1] & 0xff) - (q[i + 1] & 0xff))
                        + Math.abs((p[i + 2] & 0xff) - (q[i + 2] & 0xff));
                integral[(y + 1) * (w + 1) + x + 1] = integral[y * (w + 1) + x + 1] + rowSum;
            }
        }
        return integral;
    }

    private static RgbImage enlarge(RgbImage image, int factor) {
        if (factor == 1) {
            return image;
        }
        int w = image.width() * factor;
        int h = image.height() * factor;
        byte[] src = image.pixels();
        byte[] out = new byte[w * h * 3];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                System.arraycopy(src, ((y / factor) * image.width() + x / factor) * 3, out, (y * w + x) * 3, 3);
            }
        }
        return new RgbImage(w, h, out);
    }

    private static BufferedImage draw(String title, List<Panel> panels) {
        int panelSize = panels.get(0).crop().width();
        int width = GAP + panels.size() * (panelSize + GAP);
        int height = TITLE_HEIGHT + panelSize + LABEL_HEIGHT;
        BufferedImage figure = new BufferedImage(width, height, BufferedImage.TYPE_3BYTE_BGR);
        Graphics2D g = figure.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, width, height);
            g.setColor(Color.BLACK);
            g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
            g.drawString(title, GAP, 16);
            g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
            FontMetrics metrics = g.getFontMetrics();
            for (int i = 0; i < panels.size(); i++) {
                Panel panel = panels.get(i);
                int x = GAP + i * (panelSize + GAP);
                g.drawImage(ImageFiles.toBufferedImage(panel.crop()), x, TITLE_HEIGHT, null);
                centered(g, metrics, panel.name(), x, panelSize, TITLE_HEIGHT + panelSize + 16);
                centered(g, metrics, panel.detail(), x, panelSize, TITLE_HEIGHT + panelSize + 32);
            }
        } finally {
            g.dispose();
        }
        return figure;
    }

    private static void centered(Graphics2D g, FontMetrics metrics, String text, int x, int width, int baseline) {
        g.drawString(text, x + Math.max(0, (width - metrics.stringWidth(text)) / 2), baseline);
    }

    private static String format(Quality q) {
        return String.format(Locale.ROOT, "%.2f dB / %.4f", q.psnr(), q.ssim());
    }
}
