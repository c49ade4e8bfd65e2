package org.oisrstream.model.infer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.Locale;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.oisrstream.model.data.EvalSet;
import org.oisrstream.model.data.EvalSets;
import org.oisrstream.model.eval.Evaluator;
import org.oisrstream.model.net.ModelSpec;
import org.oisrstream.model.testing.SharedData;
import org.oisrstream.model.weights.StateDict;

/**
 * The trained defaults that ship on the classpath: present, labelled with the network they are for, loadable
 * strictly, and still above the floor they were shipped at on Set5, the validation set they were chosen on (the
 * full Set5/Set14/B100 tables come from {@code oisr eval} and are in docs/models.md).
 */
class ShippedWeightsTest {

    @ParameterizedTest(name = "lf-s x{0} ships and scores >= {1} dB on Set5")
    @CsvSource({"2,36.0", "3,32.5", "4,30.5"})
    void shippedDefaultLoadsAndMeetsItsSet5Floor(int scale, double floorDb) throws IOException {
        ModelSpec spec = ModelSpec.of("lf-s", scale);
        StateDict weights = DefaultWeights.load(spec)
                .orElseThrow(() -> new AssertionError("no " + DefaultWeights.resourceName(spec) + " on the classpath"));
        assertEquals("lf-s", weights.metadata().get("variant"));
        assertEquals(Integer.toString(scale), weights.metadata().get("scale"));

        EvalSet set5 = EvalSets.open(SharedData.benchmark("Set5"), scale);
        try (OisrUpscaler upscaler = OisrUpscaler.builder(spec).weights(weights).device("cpu").build()) {
            double psnr = Evaluator.evaluate(upscaler, set5, scale).mean().psnr();
            System.out.printf(Locale.ROOT, "shipped lf-s x%d on Set5: %.2f dB (floor %.1f)%n", scale, psnr, floorDb);
            assertTrue(psnr >= floorDb, String.format(Locale.ROOT, "Set5 %.2f dB < %.1f dB", psnr, floorDb));
        }
    }
}
