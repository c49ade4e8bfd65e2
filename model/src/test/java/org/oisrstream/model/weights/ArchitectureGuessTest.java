package org.oisrstream.model.weights;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ArchitectureGuessTest {

    static Stream<Arguments> variantsAndScales() {
        return OisrVariantSpec.ALL.stream()
                .flatMap(v -> OisrVariantSpec.SCALES.stream().map(s -> Arguments.of(v, s)));
    }

    @ParameterizedTest
    @MethodSource("variantsAndScales")
    void recognisesEveryPublishedVariantAndScale(OisrVariantSpec spec, int scale) {
        ArchitectureGuess guess = ArchitectureGuess.of(Fixtures.oisrShapes(spec, scale));
        assertEquals(new ArchitectureGuess(spec.blocks(), spec.features(), spec.blockType(), scale), guess);
        assertEquals(spec, guess.variant().orElseThrow());
        assertEquals(spec.name() + " x" + scale, guess.describe());
        guess.requireMatches(spec, scale);
    }

    @Test
    void mismatchIsReportedByVariantAndScale() {
        ArchitectureGuess guess = ArchitectureGuess.of(Fixtures.oisrShapes(OisrVariantSpec.byName("lf-s"), 2));
        WeightsMismatchException e = assertThrows(WeightsMismatchException.class,
                () -> guess.requireMatches(OisrVariantSpec.byName("lf-s"), 4));
        assertEquals("weights are lf-s x2 but the model is lf-s x4", e.getMessage());
        assertEquals("weights are lf-s x2 but the model is rk2-s x2", assertThrows(WeightsMismatchException.class,
                () -> guess.requireMatches(OisrVariantSpec.byName("rk2-s"), 2)).getMessage());
    }

    @Test
    void theTinyFixtureIsAnUnpublishedLfShape() throws IOException {
        ArchitectureGuess guess = ArchitectureGuess.of(WeightsFiles.read(Fixtures.path("tiny_lf_x2_legacy.pt")));
        assertEquals(new ArchitectureGuess(2, 8, BlockType.LF, 2), guess);
        assertTrue(guess.variant().isEmpty());
        assertEquals("LF network with 2 blocks of 8 features x2", guess.describe());
    }

    @Test
    void explainsWhatIsNotOisr() {
        Map<String, long[]> shapes = Fixtures.oisrShapes(OisrVariantSpec.byName("rk2-s"), 4);
        assertReason(without(shapes, "head.0.weight"), "no 4-d head.0.weight");
        assertReason(without(shapes, "tail.0.0.weight"), "no 4-d tail.0.0.weight");
        assertReason(without(shapes, "body.8.weight", "body.8.bias"), "final convolution");
        assertReason(without(shapes, "body.3.scale1"), "block body.3 has parameters");
        Map<String, long[]> wrongTail = new LinkedHashMap<>(shapes);
        wrongTail.put("tail.0.0.weight", new long[] {100, 64, 3, 3});
        assertReason(wrongTail, "100 output channels");
        Map<String, long[]> oddBlock = Fixtures.oisrShapes(8, 64, BlockType.RK3, 2);
        for (int b = 0; b < 8; b++) {
            oddBlock.remove("body." + b + ".scale5");
            oddBlock.remove("body." + b + ".scale4");
        }
        assertReason(oddBlock, "3 scale parameters and 3 convolutions");
        Map<String, long[]> twoConvRk3 = Fixtures.oisrShapes(8, 64, BlockType.RK3, 2);
        for (int b = 0; b < 8; b++) {
            twoConvRk3.remove("body." + b + ".conv3.weight");
            twoConvRk3.remove("body." + b + ".conv3.bias");
        }
        assertReason(twoConvRk3, "5 scale parameters and 2 convolutions");
    }

    private static void assertReason(Map<String, long[]> shapes, String reason) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ArchitectureGuess.of(shapes));
        assertTrue(e.getMessage().contains(reason), e.getMessage());
    }

    private static Map<String, long[]> without(Map<String, long[]> shapes, String... keys) {
        Map<String, long[]> copy = new LinkedHashMap<>(shapes);
        for (String k : keys) {
            copy.remove(k);
        }
        return copy;
    }
}
