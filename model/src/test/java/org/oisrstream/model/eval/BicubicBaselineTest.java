package org.oisrstream.model.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.oisrstream.model.data.EvalSet;
import org.oisrstream.model.data.EvalSets;
import org.oisrstream.model.quality.BicubicUpscaler;
import org.oisrstream.model.testing.SharedData;

/** The Bicubic rows of the SR papers' tables (EDSR, RCAN, OISR), reproduced from the benchmark LR files. */
class BicubicBaselineTest {

    @ParameterizedTest(name = "{0} x{1}: {2} dB")
    @CsvSource({
            "Set5,2,33.67", "Set5,3,30.40", "Set5,4,28.43",
            "Set14,2,30.33", "Set14,3,27.63", "Set14,4,26.09",
            "B100,2,29.56", "B100,3,27.21", "B100,4,25.96"})
    void bicubicPsnrMatchesThePapers(String name, int scale, double paperPsnr) throws IOException {
        SetResult result = evaluate(name, scale);
        System.out.printf(Locale.ROOT, "bicubic %s x%d: PSNR %.4f dB, SSIM %.4f (paper PSNR %.2f)%n",
                name, scale, result.mean().psnr(), result.mean().ssim(), paperPsnr);
        assertEquals(paperPsnr, result.mean().psnr(), 0.02, name + " x" + scale + " mean PSNR");
    }

    @Test
    void bicubicSsimOnSet5x4MatchesThePapers() throws IOException {
        assertEquals(0.8104, evaluate("Set5", 4).mean().ssim(), 0.001);
    }

    private static SetResult evaluate(String name, int scale) throws IOException {
        EvalSet set = EvalSets.open(SharedData.benchmark(name), scale);
        return Evaluator.evaluate(new BicubicUpscaler(scale), set, scale);
    }
}
