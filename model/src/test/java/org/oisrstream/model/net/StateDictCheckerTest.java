package org.oisrstream.model.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.oisrstream.model.weights.HostTensor;

/** The strict check without a network (no LibTorch): the shapes are the official layout of {@link OisrShapes}. */
class StateDictCheckerTest {

    private static final Architecture SMALL = new Architecture(BlockType.LF, 2, 8, 2);

    @Test
    void matchingWeightsPass() {
        Architecture lfsX4 = ModelSpec.of("lf-s", 4).architecture();
        Map<String, long[]> shapes = OisrShapes.of(lfsX4);
        StateDictChecker.check(OisrShapes.zeros(shapes), shapes, lfsX4);
    }

    @Test
    void shapeMismatchNamesKeyAndBothShapes() {
        Map<String, HostTensor> weights = OisrShapes.zeros(OisrShapes.of(SMALL));
        weights.put("body.1.conv2.weight", HostTensor.ofFloats(new long[] {16, 16, 3, 3}, new float[16 * 16 * 9]));
        WeightsMismatchException e = assertThrows(WeightsMismatchException.class,
                () -> StateDictChecker.check(weights, OisrShapes.of(SMALL), SMALL));
        assertEquals("weights do not fit LF B=2 F=8 x2: wrong shape for body.1.conv2.weight: weights have "
                + "[16, 16, 3, 3], model expects [8, 8, 3, 3]", e.getMessage());
        assertEquals(1, e.problems().size());
    }

    @Test
    void allProblemsAreReportedInOneException() {
        Map<String, HostTensor> weights = OisrShapes.zeros(OisrShapes.of(SMALL));
        weights.put("head.0.weight", HostTensor.ofFloats(new long[] {16, 3, 3, 3}, new float[16 * 27]));
        for (String key : List.of("body.0.scale1", "body.0.scale2", "body.0.scale3", "body.0.scale4",
                "body.1.scale1", "body.1.scale2", "body.1.scale3")) {
            weights.remove(key);
        }
        weights.put("extra.weight", HostTensor.ofFloats(new long[] {2}, new float[2]));
        WeightsMismatchException e = assertThrows(WeightsMismatchException.class,
                () -> StateDictChecker.check(weights, OisrShapes.of(SMALL), SMALL));
        assertEquals("weights do not fit LF B=2 F=8 x2: wrong shape for head.0.weight: weights have [16, 3, 3, 3], "
                + "model expects [8, 3, 3, 3]; missing key body.0.scale1 (expected shape [1]); missing key "
                + "body.0.scale2 (expected shape [1]); missing key body.0.scale3 (expected shape [1]); missing key "
                + "body.0.scale4 (expected shape [1]); missing key body.1.scale1 (expected shape [1]); and 3 more",
                e.getMessage());
        assertEquals(9, e.problems().size());
        assertEquals("unexpected key extra.weight (shape [2])", e.problems().get(8));
        assertFalse(e.getMessage().contains("\n"));
    }

    @Test
    void differentOisrArchitecturesAreNamedFirst() {
        Map<String, HostTensor> lfsX2 = OisrShapes.zeros(OisrShapes.of("lf-s", 2));
        WeightsMismatchException e = assertThrows(WeightsMismatchException.class,
                () -> StateDictChecker.check(lfsX2, OisrShapes.of("lf-s", 4), ModelSpec.of("lf-s", 4).architecture()));
        assertEquals("weights are for lf-s x2, model is lf-s x4", e.getMessage());
        WeightsMismatchException wider = assertThrows(WeightsMismatchException.class,
                () -> StateDictChecker.check(lfsX2, OisrShapes.of("lf", 2), ModelSpec.of("lf", 2).architecture()));
        assertEquals("weights are for lf-s x2, model is lf x2", wider.getMessage());
        WeightsMismatchException block = assertThrows(WeightsMismatchException.class,
                () -> StateDictChecker.check(lfsX2, OisrShapes.of("rk2-s", 2), ModelSpec.of("rk2-s", 2).architecture()));
        assertEquals("weights are for lf-s x2, model is rk2-s x2", block.getMessage());
    }
}
