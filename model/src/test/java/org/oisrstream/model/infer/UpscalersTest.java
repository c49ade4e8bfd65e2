package org.oisrstream.model.infer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.oisrstream.model.image.RgbImage;
import org.oisrstream.model.net.Variant;
import org.oisrstream.model.quality.BicubicUpscaler;
import org.oisrstream.model.quality.MatlabBicubic;

/** The registry: names, paper names, checks without loading, and what it builds for each kind of name. */
class UpscalersTest {

    private static RgbImage image(int w, int h) {
        byte[] p = new byte[w * h * 3];
        new Random(3).nextBytes(p);
        return new RgbImage(w, h, p);
    }

    @Test
    void namesAreTheBaselinesThenEveryVariant() {
        assertEquals(List.of("nearest", "bicubic", "lf-s", "rk2-s", "lf", "rk2", "rk3"), Upscalers.names());
        assertEquals(List.of(Variant.values()), Upscalers.networks());
        assertEquals(Variant.RK2_S, Upscalers.network("RK2_S").orElseThrow());
        assertFalse(Upscalers.isNetwork("Bicubic"));
    }

    @Test
    void paperNames() {
        assertEquals("OISR-LF-s", Upscalers.paperName("lf-s"));
        assertEquals("OISR-RK2-s", Upscalers.paperName("rk2-s"));
        assertEquals("OISR-RK3", Upscalers.paperName("rk3"));
        assertEquals("Bicubic", Upscalers.paperName("bicubic"));
        assertEquals("Nearest", Upscalers.paperName("nearest"));
    }

    @Test
    void checkRefusesWithOneLineReasons() {
        IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class,
                () -> Upscalers.check(UpscalerRequest.builder("edsr", 4).build()));
        assertEquals("unknown model 'edsr' (expected one of nearest, bicubic, lf-s, rk2-s, lf, rk2, rk3)",
                unknown.getMessage());
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> Upscalers.check(UpscalerRequest.builder("lf", 8).build())).getMessage()
                .startsWith("unsupported scale 8 for lf (expected 2, 3 or 4)"));
        Upscalers.check(UpscalerRequest.builder("bicubic", 8).device("not checked for a baseline").build());
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> Upscalers.check(UpscalerRequest.builder("nearest", 9).build())).getMessage()
                .startsWith("unsupported scale 9 for nearest (expected 2 to 8)"));
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> Upscalers.check(UpscalerRequest.builder("lf-s", 2).device("tpu").build())).getMessage()
                .startsWith("unknown device 'tpu'"));
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> Upscalers.check(UpscalerRequest.builder("lf-s", 2).precision("fp8").build())).getMessage()
                .startsWith("unknown precision 'fp8'"));
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> Upscalers.check(UpscalerRequest.builder("lf-s", 2).weights(Path.of("/no/such.pt")).build()))
                .getMessage().contains("/no/such.pt does not exist"));
    }

    @Test
    void buildsTheBaselinesAndWrapsTheSelfEnsemble() {
        RgbImage in = image(9, 7);
        try (ImageUpscaler nearest = Upscalers.create(UpscalerRequest.builder("nearest", 3).build())) {
            assertEquals(new NearestNeighbourUpscaler(3).upscale(in), nearest.upscale(in));
        }
        try (ImageUpscaler bicubic = Upscalers.create(UpscalerRequest.builder("bicubic", 2).build())) {
            assertInstanceOf(BicubicUpscaler.class, bicubic);
            assertEquals(MatlabBicubic.upscale(in, 2), bicubic.upscale(in));
        }
        try (ImageUpscaler ensemble = Upscalers.create(UpscalerRequest.builder("nearest", 2).selfEnsemble(true).build())) {
            SelfEnsembleUpscaler wrapper = assertInstanceOf(SelfEnsembleUpscaler.class, ensemble);
            assertInstanceOf(NearestNeighbourUpscaler.class, wrapper.inner());
            // Pixel replication commutes with flips and rotations: the ensemble of eight is the single result.
            assertEquals(new NearestNeighbourUpscaler(2).upscale(in), ensemble.upscale(in));
        }
    }

    @Test
    void aNetworkGetsEveryOptionOfTheRequest() {
        UpscalerRequest request = UpscalerRequest.builder("lf-s", 2).device("cpu").precision("fp32").tile(24)
                .maxBatch(3).overlap(4).layout(MemoryLayout.NCHW).build();
        try (OisrUpscaler network = Upscalers.builder(request).randomWeights(1).build()) {
            assertEquals("lf-s x2", network.spec().describe());
            assertEquals(ComputeDevice.CPU, network.device());
            assertEquals(Precision.FP32, network.precision());
            assertEquals(MemoryLayout.NCHW, network.layout());
            assertEquals(3, network.policy().maxBatch());
            assertEquals(Tiling.square(24, 4).toString(), network.planFor(1, 100, 100).network().toString());
        }
        assertThrows(IllegalArgumentException.class, () -> Upscalers.builder(UpscalerRequest.builder("bicubic", 2).build()));
    }
}
