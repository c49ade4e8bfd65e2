package org.oisrstream.jobs.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import org.junit.jupiter.api.Test;
import org.oisrstream.model.data.EvalPair;
import org.oisrstream.model.image.RgbImage;
import org.oisrstream.model.quality.Quality;

class ComparisonFigureTest {

    @Test
    void theCropCoversWhereSrAndBicubicDifferMost() {
        RgbImage bicubic = RgbImage.blank(300, 200);
        byte[] p = bicubic.pixels().clone();
        p[(150 * 300 + 210) * 3] = (byte) 200; // one changed pixel at (210, 150)
        RgbImage sr = new RgbImage(300, 200, p);
        ComparisonFigure.CropWindow w = ComparisonFigure.chooseCrop(sr, bicubic, bicubic, 3);
        assertEquals(ComparisonFigure.SR_DIFFERS, w.reason());
        assertEquals(63, w.size());
        assertEquals(0, w.x() % 3);
        assertEquals(0, w.y() % 3);
        assertTrue(w.x() <= 210 && 210 < w.x() + w.size() && w.y() <= 150 && 150 < w.y() + w.size(), w.toString());
    }

    @Test
    void whenSrIsBicubicTheCropCoversWhereBicubicMissesMost() {
        RgbImage bicubic = RgbImage.blank(128, 128);
        byte[] p = bicubic.pixels().clone();
        p[(100 * 128 + 10) * 3 + 1] = (byte) 90;
        ComparisonFigure.CropWindow w = ComparisonFigure.chooseCrop(bicubic, bicubic, new RgbImage(128, 128, p), 2);
        assertEquals(ComparisonFigure.BICUBIC_MISSES, w.reason());
        assertTrue(w.x() <= 10 && 100 < w.y() + w.size(), w.toString());
    }

    @Test
    void rendersFourLabelledPanels() {
        RgbImage hr = RgbImage.blank(96, 96);
        RgbImage lr = RgbImage.blank(24, 24);
        BufferedImage figure = ComparisonFigure.render("Set", new EvalPair("x", lr, hr), 4, hr, new Quality(30, 0.9),
                "OISR-LF-s", hr, new Quality(31, 0.91));
        assertEquals(8 + 4 * (192 + 8), figure.getWidth());
        assertEquals(new ComparisonFigure.CropWindow(16, 16, 64, ComparisonFigure.CENTRE),
                ComparisonFigure.chooseCrop(hr, hr, hr, 4));
    }
}
