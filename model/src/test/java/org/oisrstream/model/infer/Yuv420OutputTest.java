package org.oisrstream.model.infer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.oisrstream.model.image.RgbImage;
import org.oisrstream.model.image.Yuv420Image;
import org.oisrstream.model.image.YuvMatrix;
import org.oisrstream.model.net.ModelSpec;
import org.oisrstream.model.weights.StateDict;

/** {@link OisrUpscaler#upscaleYuv420} against its RGB output converted here, sample by sample, on every plan. */
class Yuv420OutputTest {

    private static StateDict x2;
    private static StateDict x4;

    /**
     * The shipped weights: random ones drive most samples far out of the RGB gamut, where clamping RGB (then
     * converting) and clamping Y'CbCr differ by design.
     */
    @BeforeAll
    static void trainedWeights() throws Exception {
        x2 = DefaultWeights.load(ModelSpec.of("lf-s", 2)).orElseThrow();
        x4 = DefaultWeights.load(ModelSpec.of("lf-s", 4)).orElseThrow();
    }

    /** A smooth colourful image with some edges, inside the gamut after upscaling (unlike noise). */
    private static RgbImage smoothImage(int w, int h, int seed) {
        byte[] px = new byte[w * h * 3];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                for (int c = 0; c < 3; c++) {
                    double v = 128 + 70 * Math.sin((x + 3 * c + seed) / 4.0) * Math.cos((y - 2 * c) / 5.0)
                            + (x > w / 2 ? 20 : -20);
                    px[(y * w + x) * 3 + c] = (byte) Math.max(0, Math.min(255, Math.round(v)));
                }
            }
        }
        return new RgbImage(w, h, px);
    }

    @Test
    void theMatrixGivesTheStandardLimitedRangeValues() {
        double[] white = convert(YuvMatrix.BT709, 255, 255, 255);
        assertEquals(235, white[0], 1e-9);
        assertEquals(128, white[1], 1e-9);
        assertEquals(128, white[2], 1e-9);
        double[] black = convert(YuvMatrix.BT601, 0, 0, 0);
        assertEquals(16, black[0], 1e-9);
        // BT.601 red: Y' 81.5, Cb 90.2, Cr 240.
        double[] red = convert(YuvMatrix.BT601, 255, 0, 0);
        assertEquals(81.5, red[0], 0.05);
        assertEquals(90.2, red[1], 0.05);
        assertEquals(240, red[2], 1e-9);
    }

    @Test
    void foldedX2AndX4MatchTheirRgbOutputConverted() {
        for (var weights : List.of(new Object[] {2, x2}, new Object[] {4, x4})) {
            int scale = (int) weights[0];
            try (OisrUpscaler up = OisrUpscaler.builder(ModelSpec.of("lf-s", scale)).weights((StateDict) weights[1])
                    .device("cpu").build()) {
                assertTrue(up.upscalesToYuv420());
                assertFalse(up.planFor(1, 30, 20).network().enabled());
                check(up, smoothImage(30, 20, 5), YuvMatrix.BT709);
                check(up, smoothImage(9, 7, 6), YuvMatrix.BT601); // too narrow to fold
            }
        }
    }

    @Test
    void tiledAndStripPlansConvertTheirRgb() {
        try (OisrUpscaler tiled = OisrUpscaler.builder(ModelSpec.of("lf-s", 2)).weights(x2).device("cpu").tile(20)
                .build();
             OisrUpscaler strips = OisrUpscaler.builder(ModelSpec.of("lf-s", 4)).weights(x4).device("cpu")
                     .autoTile(1L << 30).stripBytes(1).build()) {
            assertTrue(tiled.planFor(1, 30, 12).network().enabled());
            check(tiled, smoothImage(30, 12, 7), YuvMatrix.BT2020);
            assertTrue(strips.planFor(1, 40, 30).reconstruction().enabled());
            check(strips, smoothImage(40, 30, 8), YuvMatrix.BT709);
        }
    }

    /**
     * The planes against the RGB output converted in doubles: the RGB path rounds RGB to 8 bits first, so samples
     * may differ by a level; a wrong matrix, chroma block or edge differs by many.
     */
    private static void check(OisrUpscaler up, RgbImage input, YuvMatrix matrix) {
        RgbImage rgb = up.upscale(input);
        Yuv420Image yuv = up.upscaleYuv420(List.of(input), matrix).get(0);
        assertEquals(rgb.width(), yuv.width());
        assertEquals(rgb.height(), yuv.height());
        assertEquals(matrix, yuv.matrix());
        int w = rgb.width();
        int h = rgb.height();
        int worst = 0;
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                double luma = convert(matrix, rgb.get(x, y, 0), rgb.get(x, y, 1), rgb.get(x, y, 2))[0];
                worst = Math.max(worst, Math.abs((yuv.y()[y * w + x] & 0xff) - (int) Math.round(luma)));
            }
        }
        for (int cy = 0; cy < yuv.chromaHeight(); cy++) {
            for (int cx = 0; cx < yuv.chromaWidth(); cx++) {
                double cb = 0;
                double cr = 0;
                int n = 0;
                for (int y = 2 * cy; y < Math.min(h, 2 * cy + 2); y++) {
                    for (int x = 2 * cx; x < Math.min(w, 2 * cx + 2); x++) {
                        double[] c = convert(matrix, rgb.get(x, y, 0), rgb.get(x, y, 1), rgb.get(x, y, 2));
                        cb += c[1];
                        cr += c[2];
                        n++;
                    }
                }
                int i = cy * yuv.chromaWidth() + cx;
                worst = Math.max(worst, Math.abs((yuv.cb()[i] & 0xff) - (int) Math.round(cb / n)));
                worst = Math.max(worst, Math.abs((yuv.cr()[i] & 0xff) - (int) Math.round(cr / n)));
            }
        }
        assertTrue(worst <= 2, up.describe() + ", " + input + ": a sample differs by " + worst + " levels");
    }

    private static double[] convert(YuvMatrix matrix, int r, int g, int b) {
        double[][] m = matrix.fromRgb();
        double[] out = new double[3];
        for (int row = 0; row < 3; row++) {
            out[row] = Math.min(row == 0 ? 235 : 240, Math.max(16, m[row][0] * r + m[row][1] * g + m[row][2] * b
                    + m[row][3]));
        }
        return out;
    }
}
