package org.oisrstream.model.quality;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.oisrstream.model.image.RgbImage;

class MatlabBicubicTest {

    @Test
    void outputSizeIsCeilOfScaleTimesSizeLikeMatlab() {
        RgbImage odd = QualityMetricsTest.noise(37, 23, 1);
        RgbImage down = MatlabBicubic.downscale(odd, 3);
        assertEquals(13, down.width());
        assertEquals(8, down.height());
        RgbImage up = MatlabBicubic.upscale(odd, 3);
        assertEquals(111, up.width());
        assertEquals(69, up.height());
    }

    @Test
    void aUniformImageStaysUniform() {
        RgbImage grey = QualityMetricsTest.uniform(37, 23, 173);
        assertEquals(QualityMetricsTest.uniform(13, 8, 173), MatlabBicubic.downscale(grey, 3));
        assertEquals(QualityMetricsTest.uniform(74, 46, 173), MatlabBicubic.upscale(grey, 2));
    }

    @Test
    void overshootIsClampedTo8Bits() {
        // A hard black/white edge rings under the cubic kernel; the result must stay within 0..255.
        byte[] p = new byte[16 * 4 * 3];
        for (int y = 0; y < 4; y++) {
            for (int x = 8; x < 16; x++) {
                for (int c = 0; c < 3; c++) {
                    p[(y * 16 + x) * 3 + c] = (byte) 255;
                }
            }
        }
        RgbImage up = MatlabBicubic.upscale(new RgbImage(16, 4, p), 4);
        int justBeforeEdge = up.get(31, 8, 0);
        int justAfterEdge = up.get(32, 8, 0);
        assertEquals(0, up.get(29, 8, 0)); // undershoot clamped to 0
        assertEquals(255, up.get(34, 8, 0)); // overshoot clamped to 255
        assertEquals(255, justBeforeEdge + justAfterEdge, 1);
    }

    @Test
    void scaleOneAndAlreadyAlignedCropsAreIdentities() {
        RgbImage image = QualityMetricsTest.noise(12, 9, 2);
        assertEquals(image, MatlabBicubic.resize(image, 1));
        assertSame(image, MatlabBicubic.cropToMultiple(image, 3));
        assertEquals(image.crop(0, 0, 12, 8), MatlabBicubic.cropToMultiple(image, 4));
        assertEquals(image.crop(0, 0, 10, 5), MatlabBicubic.cropToMultiple(image, 5));
    }

    @Test
    void nonsenseScalesAreRejected() {
        RgbImage image = QualityMetricsTest.noise(4, 4, 3);
        assertThrows(IllegalArgumentException.class, () -> MatlabBicubic.downscale(image, 0));
        assertThrows(IllegalArgumentException.class, () -> MatlabBicubic.resize(image, Double.NaN));
        assertThrows(IllegalArgumentException.class, () -> MatlabBicubic.cropToMultiple(image, 5));
    }
}
