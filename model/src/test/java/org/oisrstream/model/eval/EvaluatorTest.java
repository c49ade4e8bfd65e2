package org.oisrstream.model.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.oisrstream.model.data.EvalPair;
import org.oisrstream.model.data.EvalSet;
import org.oisrstream.model.data.LrPairs;
import org.oisrstream.model.image.RgbImage;
import org.oisrstream.model.infer.ImageUpscaler;
import org.oisrstream.model.quality.BicubicUpscaler;
import org.oisrstream.model.quality.MatlabBicubic;
import org.oisrstream.model.quality.QualityMetrics;

class EvaluatorTest {

    private static final EvalSet SET = EvalSet.of("tiny", 2, List.of(
            LrPairs.fromHr("a", image(40, 32, 1), 2),
            LrPairs.fromHr("b", image(33, 29, 2), 2)));

    @Test
    void measuresEveryImageAndTheMeans() {
        List<String> seen = new ArrayList<>();
        SetResult result = Evaluator.evaluate(new BicubicUpscaler(2), SET, 2,
                (index, pair, sr, image) -> seen.add(index + ":" + pair.name() + ":" + sr.width()));
        assertEquals(List.of("0:a:40", "1:b:32"), seen);
        assertEquals("tiny", result.dataset());
        assertEquals(2, result.images().size());
        EvalPair b = SET.loadAll().get(1);
        double psnrB = QualityMetrics.psnrY(MatlabBicubic.upscale(b.lr(), 2), b.hr(), 2);
        assertEquals(psnrB, result.images().get(1).quality().psnr(), 1e-12);
        assertEquals((result.images().get(0).quality().psnr() + psnrB) / 2, result.mean().psnr(), 1e-12);
        assertTrue(result.secondsPerImage() >= 0);
    }

    @Test
    void aPerfectUpscalerScoresInfinityAndOne() {
        EvalSet set = EvalSet.of("id", 2, List.of(new EvalPair("x", image(16, 16, 3), image(32, 32, 4))));
        ImageUpscaler oracle = new ImageUpscaler() {
            @Override
            public int scale() {
                return 2;
            }

            @Override
            public String describe() {
                return "oracle";
            }

            @Override
            public List<RgbImage> upscale(List<RgbImage> images) {
                return List.of(image(32, 32, 4));
            }
        };
        SetResult result = Evaluator.evaluate(oracle, set, 2);
        assertEquals(Double.POSITIVE_INFINITY, result.mean().psnr());
        assertEquals(1.0, result.mean().ssim(), 1e-12);
    }

    @Test
    void scaleMismatchesAreRejected() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Evaluator.evaluate(new BicubicUpscaler(3), SET, 2));
        assertTrue(e.getMessage().contains("x3"), e.getMessage());
    }

    private static RgbImage image(int w, int h, long seed) {
        byte[] p = new byte[w * h * 3];
        new Random(seed).nextBytes(p);
        return new RgbImage(w, h, p);
    }
}
