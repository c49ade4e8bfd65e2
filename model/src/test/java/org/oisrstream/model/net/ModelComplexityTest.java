package org.oisrstream.model.net;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Parameter counts of the official code and MACs of the paper's Tables 2/3, for all 15 networks. */
class ModelComplexityTest {

    @ParameterizedTest(name = "{0} x{1}: {2} parameters")
    @CsvSource({
            "lf-s, 2, 1371963", "lf-s, 3, 1556603", "lf-s, 4, 1519675",
            "rk2-s, 2, 1371939", "rk2-s, 3, 1556579", "rk2-s, 4, 1519651",
            "lf, 2, 4971559", "lf, 3, 5641949", "lf, 4, 5507871",
            "rk2, 2, 4971535", "rk2, 3, 5641925", "rk2, 4, 5507847",
            "rk3, 2, 41926793", "rk3, 3, 44877193", "rk3, 4, 44287113",
    })
    void parameterCountMatchesOfficialCode(String variant, int scale, long expected) {
        ModelSpec spec = ModelSpec.of(variant, scale);
        assertEquals(expected, ModelComplexity.of(spec).parameters(), "analytic count");
        OisrNet net = new OisrNet(spec);
        try {
            assertEquals(expected, net.parameterCount(), "module's real parameters");
            ModelComplexity.of(spec).checkAgainst(net);
        } finally {
            net.close();
        }
    }

    @ParameterizedTest(name = "{0} x{1}: {2} GMACs at 720p")
    @CsvSource({
            "lf-s, 2, 316.2", "lf-s, 3, 160.1", "lf-s, 4, 114.2",
            "rk2-s, 2, 316.2", "rk2-s, 3, 160.1", "rk2-s, 4, 114.2",
            "lf, 2, 1145.7", "lf, 3, 578.6", "lf, 4, 412.2",
            "rk2, 2, 1145.7", "rk2, 3, 578.6", "rk2, 4, 412.2",
            "rk3, 2, 9656.5", "rk3, 3, 4590.1", "rk3, 4, 2962.5",
    })
    void macsMatchPaper(String variant, int scale, String printed) {
        long macs = ModelComplexity.of(ModelSpec.of(variant, scale)).macs(1280, 720);
        assertEquals(printed, String.format(Locale.ROOT, "%.1f", macs / 1e9));
    }

    @Test
    void foldedReconstructionCountsItsConvolutionAndTheEdgeBands() {
        ModelComplexity lfsX4 = ModelComplexity.of(ModelSpec.of("lf-s", 4));
        long layerByLayerPerPixel = 64L * 256 * 9 + 64L * 256 * 9 * 4 + 64L * 3 * 9 * 16;
        assertEquals(layerByLayerPerPixel * 480 * 270, lfsX4.reconstructionMacsForInput(480, 270));
        long folded = 48L * 64 * 25 * 480 * 270;
        long bands = layerByLayerPerPixel * (2 * 3 * 480 + 2 * 3 * 270);
        assertEquals(folded + bands, lfsX4.foldedReconstructionMacsForInput(480, 270));
        assertEquals(lfsX4.trunkMacsForInput(480, 270) + folded + bands, lfsX4.executedMacsForInput(480, 270, true));
        assertEquals(lfsX4.macsForInput(480, 270), lfsX4.executedMacsForInput(480, 270, false));
        assertEquals(lfsX4.reconstructionMacsForInput(11, 300), lfsX4.foldedReconstructionMacsForInput(11, 300),
                "too narrow to fold");
    }
}
