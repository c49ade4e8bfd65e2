package org.oisrstream.model.quality;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.oisrstream.model.image.RgbImage;

class QualityMetricsTest {

    @Test
    void anImageComparedWithItselfHasSsimOneAndInfinitePsnr() {
        RgbImage image = noise(41, 29, 1);
        assertEquals(1.0, QualityMetrics.ssimY(image, image, 3), 1e-12);
        assertEquals(Double.POSITIVE_INFINITY, QualityMetrics.psnrY(image, image, 3));
        assertEquals(Double.POSITIVE_INFINITY, QualityMetrics.psnrRgb(image, image));
    }

    @Test
    void psnrOfAUniformErrorFollowsTheDefinition() {
        RgbImage a = uniform(20, 20, 100);
        RgbImage b = uniform(20, 20, 110);
        // A grey difference of 10 is a luma difference of 10 * 219 / 255.
        double dy = 10 * 219.0 / 255;
        assertEquals(10 * Math.log10(255.0 * 255 / (dy * dy)), QualityMetrics.psnrY(a, b, 2), 1e-9);
        assertEquals(10 * Math.log10(255.0 * 255 / 100), QualityMetrics.psnrRgb(a, b), 1e-9);
    }

    @Test
    void shaveIgnoresTheBorder() {
        RgbImage hr = noise(30, 30, 2);
        byte[] broken = hr.pixels().clone();
        for (int x = 0; x < 30; x++) {
            for (int c = 0; c < 3; c++) {
                broken[x * 3 + c] = (byte) ~broken[x * 3 + c]; // corrupt the top row only
            }
        }
        RgbImage sr = new RgbImage(30, 30, broken);
        assertEquals(Double.POSITIVE_INFINITY, QualityMetrics.psnrY(sr, hr, 1));
        assertEquals(1.0, QualityMetrics.ssimY(sr, hr, 1), 1e-12);
        assertTrue(QualityMetrics.psnrY(sr, hr, 0) < 30);
    }

    @Test
    void largerHrIsCroppedTopLeftToTheSrSize() {
        RgbImage hr = noise(40, 31, 3);
        RgbImage sr = hr.crop(0, 0, 39, 30);
        assertEquals(Double.POSITIVE_INFINITY, QualityMetrics.psnrY(sr, hr, 3));
        assertEquals(1.0, QualityMetrics.ssimY(sr, hr, 3), 1e-12);
    }

    @Test
    void imagesTooSmallForTheShaveOrTheWindowAreRejected() {
        RgbImage small = noise(16, 16, 4);
        IllegalArgumentException shave = assertThrows(IllegalArgumentException.class,
                () -> QualityMetrics.psnrY(small, small, 8));
        assertTrue(shave.getMessage().contains("shaving 8"), shave.getMessage());
        IllegalArgumentException window = assertThrows(IllegalArgumentException.class,
                () -> QualityMetrics.ssimY(small, small, 3));
        assertTrue(window.getMessage().contains("11x11"), window.getMessage());
    }

    @Test
    void framesOfDifferentSizesAreRejectedForVideoPsnr() {
        assertThrows(IllegalArgumentException.class, () -> QualityMetrics.psnrRgb(noise(8, 8, 5), noise(8, 9, 5)));
        assertThrows(IllegalArgumentException.class, () -> QualityMetrics.psnrY(noise(8, 8, 5), noise(9, 8, 5)));
    }

    @Test
    void meanQualityAveragesPerImageValues() {
        Quality mean = Quality.mean(java.util.List.of(new Quality(30, 0.8), new Quality(32, 0.9)));
        assertEquals(31, mean.psnr(), 1e-12);
        assertEquals(0.85, mean.ssim(), 1e-12);
    }

    static RgbImage noise(int w, int h, long seed) {
        byte[] p = new byte[w * h * 3];
        new Random(seed).nextBytes(p);
        return new RgbImage(w, h, p);
    }

    static RgbImage uniform(int w, int h, int value) {
        byte[] p = new byte[w * h * 3];
        java.util.Arrays.fill(p, (byte) value);
        return new RgbImage(w, h, p);
    }
}
