package org.oisrstream.model.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.oisrstream.model.weights.WeightsFiles;

class StateDictArchitectureTest {

    static Stream<Arguments> variantsAndScales() {
        return Stream.of(Variant.values()).flatMap(v -> ModelSpec.SCALES.stream().map(s -> Arguments.of(v, s)));
    }

    @ParameterizedTest
    @MethodSource("variantsAndScales")
    void recognisesEveryPublishedVariantAndScale(Variant variant, int scale) {
        ModelSpec spec = new ModelSpec(variant, scale);
        Architecture found = StateDictArchitecture.of(OisrShapes.of(spec.architecture()));
        assertEquals(new Architecture(variant.block(), variant.blocks(), variant.features(), scale), found);
        assertEquals(spec, found.spec().orElseThrow());
        assertEquals(variant.cliName() + " x" + scale, found.describe());
        assertEquals(Optional.of(found), StateDictArchitecture.detect(OisrShapes.of(spec.architecture())));
    }

    @Test
    void theTinyFixtureIsAnUnpublishedLfShape() throws Exception {
        Path tiny = Path.of(StateDictArchitectureTest.class.getResource("/weights/tiny_lf_x2_legacy.pt").toURI());
        Architecture found = StateDictArchitecture.of(WeightsFiles.read(tiny).shapes());
        assertEquals(new Architecture(BlockType.LF, 2, 8, 2), found);
        assertTrue(found.spec().isEmpty());
        assertEquals("LF B=2 F=8 x2", found.describe());
    }

    @Test
    void explainsWhatIsNotOisr() {
        Map<String, long[]> shapes = OisrShapes.of("rk2-s", 4);
        assertReason(without(shapes, "head.0.weight"), "no 4-d head.0.weight");
        assertReason(without(shapes, "tail.0.0.weight"), "no 4-d tail.0.0.weight");
        assertReason(without(shapes, "body.8.weight", "body.8.bias"), "final convolution");
        assertReason(without(shapes, "body.3.scale1"), "block body.3 has parameters");
        Map<String, long[]> wrongTail = new LinkedHashMap<>(shapes);
        wrongTail.put("tail.0.0.weight", new long[] {100, 64, 3, 3});
        assertReason(wrongTail, "100 output channels");
        Map<String, long[]> oddBlock = OisrShapes.of(8, 64, BlockType.RK3, 2);
        for (int b = 0; b < 8; b++) {
            oddBlock.remove("body." + b + ".scale5");
            oddBlock.remove("body." + b + ".scale4");
        }
        assertReason(oddBlock, "3 scale parameters and 3 convolutions");
        Map<String, long[]> twoConvRk3 = OisrShapes.of(8, 64, BlockType.RK3, 2);
        for (int b = 0; b < 8; b++) {
            twoConvRk3.remove("body." + b + ".conv3.weight");
            twoConvRk3.remove("body." + b + ".conv3.bias");
        }
        assertReason(twoConvRk3, "5 scale parameters and 2 convolutions");
    }

    private static void assertReason(Map<String, long[]> shapes, String reason) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> StateDictArchitecture.of(shapes));
        assertTrue(e.getMessage().contains(reason), e.getMessage());
        assertTrue(StateDictArchitecture.detect(shapes).isEmpty());
    }

    private static Map<String, long[]> without(Map<String, long[]> shapes, String... keys) {
        Map<String, long[]> copy = new LinkedHashMap<>(shapes);
        for (String k : keys) {
            copy.remove(k);
        }
        return copy;
    }
}
