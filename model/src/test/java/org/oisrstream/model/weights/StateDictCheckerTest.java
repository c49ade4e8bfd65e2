package org.oisrstream.model.weights;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StateDictCheckerTest {

    private static final OisrVariantSpec LF_S = OisrVariantSpec.byName("lf-s");
    private static final OisrVariantSpec LF = OisrVariantSpec.byName("lf");

    @Test
    void matchingWeightsPass() {
        Map<String, long[]> shapes = Fixtures.oisrShapes(LF_S, 4);
        StateDictChecker.check(Fixtures.randomFloats(1, shapes), shapes);
    }

    @Test
    void shapeMismatchNamesKeyAndBothShapes() {
        Map<String, long[]> model = Map.of("body.3.conv2.weight", new long[] {122, 122, 3, 3});
        StateDict weights = Fixtures.randomFloats(2, Map.of("body.3.conv2.weight", new long[] {64, 64, 3, 3}));
        WeightsMismatchException e = assertThrows(WeightsMismatchException.class,
                () -> StateDictChecker.check(weights, model));
        assertEquals("weights do not fit the model: body.3.conv2.weight: checkpoint has [64, 64, 3, 3], "
                + "model expects [122, 122, 3, 3]", e.getMessage());
        assertEquals(1, e.shapeMismatches().size());
    }

    @Test
    void allProblemsAreReportedInOneException() {
        Map<String, long[]> model = new LinkedHashMap<>();
        model.put("head.0.weight", new long[] {8, 3, 3, 3});
        model.put("head.0.bias", new long[] {8});
        for (int i = 0; i < 7; i++) {
            model.put("body." + i + ".scale1", new long[] {1});
        }
        Map<String, long[]> checkpoint = new LinkedHashMap<>();
        checkpoint.put("head.0.weight", new long[] {16, 3, 3, 3});
        checkpoint.put("head.0.bias", new long[] {8});
        checkpoint.put("extra.weight", new long[] {2});
        WeightsMismatchException e = assertThrows(WeightsMismatchException.class,
                () -> StateDictChecker.check(Fixtures.randomFloats(3, checkpoint), model));
        assertEquals("weights do not fit the model: head.0.weight: checkpoint has [16, 3, 3, 3], model expects "
                + "[8, 3, 3, 3]; 7 missing keys (in the model, not in the checkpoint): body.0.scale1, body.1.scale1, "
                + "body.2.scale1, body.3.scale1, body.4.scale1, ...; 1 unexpected key (in the checkpoint, not in the "
                + "model): extra.weight", e.getMessage());
        assertEquals(7, e.missingKeys().size());
        assertEquals(List.of("extra.weight"), e.unexpectedKeys());
    }

    @Test
    void differentOisrArchitecturesAreNamedFirst() {
        StateDict weights = Fixtures.randomFloats(4, Fixtures.oisrShapes(LF_S, 2));
        WeightsMismatchException e = assertThrows(WeightsMismatchException.class,
                () -> StateDictChecker.check(weights, Fixtures.oisrShapes(LF_S, 4)));
        assertTrue(e.getMessage().startsWith("weights do not fit the model: weights are lf-s x2 but the model is "
                + "lf-s x4; 2 missing keys (in the model, not in the checkpoint): tail.0.2.weight, tail.0.2.bias"),
                e.getMessage());

        WeightsMismatchException wider = assertThrows(WeightsMismatchException.class,
                () -> StateDictChecker.check(weights, Fixtures.oisrShapes(LF, 2)));
        assertTrue(wider.getMessage().startsWith("weights do not fit the model: weights are lf-s x2 but the model "
                + "is lf x2; head.0.weight: checkpoint has [64, 3, 3, 3], model expects [122, 3, 3, 3]; "),
                wider.getMessage());
        assertTrue(wider.getMessage().contains("more shape mismatches"), wider.getMessage());
        assertTrue(!wider.getMessage().contains("\n"));
    }
}
