package org.oisrstream.model.infer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.oisrstream.model.image.RgbImage;
import org.oisrstream.model.image.Yuv420Image;
import org.oisrstream.model.image.YuvMatrix;
import org.oisrstream.model.net.ModelSpec;
import org.oisrstream.model.net.OisrNet;
import org.oisrstream.model.quality.QualityMetrics;
import org.oisrstream.model.weights.StateDict;

class OisrUpscalerTest {

    private static final ModelSpec LFS_X2 = ModelSpec.of("lf-s", 2);
    private static StateDict weights;

    @BeforeAll
    static void randomButFixedWeights() {
        org.bytedeco.pytorch.global.torch.manual_seed(11);
        try (OisrNet net = new OisrNet(LFS_X2)) {
            weights = net.stateDict();
        }
    }

    private static OisrUpscaler.Builder builder() {
        return OisrUpscaler.builder(LFS_X2).weights(weights).device("cpu");
    }

    @Test
    void batchesKeepOrderAndSizesAndMatchSingleFrames() {
        RgbImage a = ImageTensorsTest.randomImage(12, 9, 1);
        RgbImage b = ImageTensorsTest.randomImage(12, 9, 2);
        RgbImage c = ImageTensorsTest.randomImage(8, 10, 3);
        try (OisrUpscaler single = builder().build(); OisrUpscaler batched = builder().maxBatch(4).build()) {
            List<RgbImage> out = batched.upscale(List.of(a, c, b, a));
            assertEquals(List.of(24, 16, 24, 24), out.stream().map(RgbImage::width).toList());
            assertEquals(List.of(18, 20, 18, 18), out.stream().map(RgbImage::height).toList());
            // Batched convolutions may sum in another order, which can flip the rounding of a rare sample.
            assertTrue(QualityMetrics.psnrRgb(single.upscale(a), out.get(0)) > 60);
            assertEquals(single.upscale(c), out.get(1), "a batch of one is the single-frame pass");
            assertTrue(QualityMetrics.psnrRgb(single.upscale(b), out.get(2)) > 60);
            assertTrue(QualityMetrics.psnrRgb(out.get(0), out.get(3)) > 60);
            assertTrue(QualityMetrics.psnrRgb(out.get(0), out.get(2)) < 40, "different inputs give different outputs");
        }
    }

    @Test
    void tiledOutputIsCloseToUntiled() {
        // Two tiles (20 and 10 LR pixels wide, with 16 pixels of context each side); the first covers the frame.
        RgbImage image = ImageTensorsTest.randomImage(30, 12, 4);
        try (OisrUpscaler whole = builder().tile(0).build(); OisrUpscaler tiled = builder().tile(20).build()) {
            assertEquals(Tiling.square(20, 16), tiled.planFor(1, 30, 12).network());
            double psnr = QualityMetrics.psnrRgb(whole.upscale(image), tiled.upscale(image));
            assertTrue(psnr > 45, "tiles with the default overlap: " + psnr + " dB");
        }
    }

    @Test
    void reconstructionStripsAreSeamlessAtX4() {
        // lf-s x4 with strips of 16 input rows (2 rows of context): the policy's CPU plan for frames that fit.
        StateDict x4;
        org.bytedeco.pytorch.global.torch.manual_seed(12);
        try (OisrNet net = new OisrNet(ModelSpec.of("lf-s", 4))) {
            x4 = net.stateDict();
        }
        RgbImage image = ImageTensorsTest.randomImage(40, 30, 8);
        OisrUpscaler.Builder b = OisrUpscaler.builder(ModelSpec.of("lf-s", 4)).weights(x4).device("cpu");
        try (OisrUpscaler whole = b.tile(0).build(); OisrUpscaler strips = b.autoTile(1L << 30).stripBytes(1).build()) {
            ExecutionPlan plan = strips.planFor(1, 40, 30);
            assertEquals(Tiling.rows(16, OisrNet.RECONSTRUCTION_CONTEXT), plan.reconstruction(), plan.toString());
            assertTrue(!plan.network().enabled());
            RgbImage a = whole.upscale(image);
            RgbImage c = strips.upscale(image);
            double psnr = QualityMetrics.psnrRgb(a, c);
            assertTrue(psnr > 60, "strips vs whole frame: " + psnr + " dB");
        }
    }

    @Test
    void foldsTheReconstructionByDefaultAndAgreesWithLayerByLayer() {
        RgbImage image = ImageTensorsTest.randomImage(30, 20, 9);
        try (OisrUpscaler folded = builder().build();
             OisrUpscaler layerByLayer = builder().foldReconstruction(false).build()) {
            assertTrue(folded.network().reconstructionFolded());
            assertTrue(!layerByLayer.network().reconstructionFolded());
            double psnr = QualityMetrics.psnrRgb(layerByLayer.upscale(image), folded.upscale(image));
            assertTrue(psnr > 60, "folded vs layer by layer: " + psnr + " dB");
        }
    }

    @Test
    void recycledOutputArraysAreFilledAgainWithTheNextFrames() {
        RgbImage a = ImageTensorsTest.randomImage(14, 10, 4);
        RgbImage b = ImageTensorsTest.randomImage(14, 10, 5);
        try (OisrUpscaler up = builder().build(); OisrUpscaler fresh = builder().build()) {
            Yuv420Image first = up.upscaleYuv420(List.of(a), YuvMatrix.BT709).get(0);
            up.recycle(first);
            Yuv420Image second = up.upscaleYuv420(List.of(b), YuvMatrix.BT709).get(0);
            assertSame(first.y(), second.y(), "the luma array came back for the next frame");
            assertSame(first.cr(), second.cb(), "chroma arrays of one length are interchangeable");
            Yuv420Image expected = fresh.upscaleYuv420(List.of(b), YuvMatrix.BT709).get(0);
            assertArrayEquals(expected.y(), second.y());
            assertArrayEquals(expected.cb(), second.cb());
            assertArrayEquals(expected.cr(), second.cr());

            RgbImage rgb = up.upscale(List.of(a)).get(0);
            up.recycle(rgb);
            RgbImage again = up.upscale(List.of(b)).get(0);
            assertSame(rgb.pixels(), again.pixels());
            assertArrayEquals(fresh.upscale(List.of(b)).get(0).pixels(), again.pixels());
        }
    }

    @Test
    void autoPrecisionFollowsTheDevice() {
        try (OisrUpscaler auto = builder().precision("auto").build()) {
            Precision expected = CpuFeatures.host().nativeBf16() ? Precision.BF16 : Precision.FP32;
            assertEquals(expected, auto.precision());
        }
    }

    @Test
    void bf16IsCloseToFp32() {
        RgbImage image = ImageTensorsTest.randomImage(12, 10, 5);
        try (OisrUpscaler fp32 = builder().build(); OisrUpscaler bf16 = builder().precision("bf16").build()) {
            double psnr = QualityMetrics.psnrRgb(fp32.upscale(image), bf16.upscale(image));
            assertTrue(psnr > 30, "bf16 vs fp32: " + psnr + " dB");
            assertTrue(bf16.describe().contains("bf16"), bf16.describe());
        }
    }

    @Test
    void nchwAndChannelsLastAgree() {
        RgbImage image = ImageTensorsTest.randomImage(12, 10, 6);
        try (OisrUpscaler nchw = builder().layout(MemoryLayout.NCHW).build();
             OisrUpscaler cl = builder().layout(MemoryLayout.CHANNELS_LAST).build()) {
            assertTrue(QualityMetrics.psnrRgb(nchw.upscale(image), cl.upscale(image)) > 60);
        }
    }

    @Test
    void refusesWhatCannotWork() {
        var fp16 = assertThrows(IllegalArgumentException.class, () -> builder().precision("fp16").build());
        assertEquals("fp16 needs a CUDA device; on the CPU use bf16 or fp32", fp16.getMessage());
        var none = assertThrows(IllegalStateException.class, () -> OisrUpscaler.builder(LFS_X2).device("cpu").build());
        assertTrue(none.getMessage().startsWith("no weights for lf-s x2"), none.getMessage());
        var scale = assertThrows(IllegalArgumentException.class,
                () -> OisrUpscaler.builder(ModelSpec.of("lf-s", 4)).weights(weights).device("cpu").build());
        assertEquals("weights are for lf-s x2, model is lf-s x4", scale.getMessage());
        assertThrows(IllegalArgumentException.class, () -> ComputeDevice.parse("gpu"));
        assertThrows(IllegalArgumentException.class, () -> ComputeDevice.parse("cpu:1"));
        assertEquals("cuda:1", ComputeDevice.parse("CUDA:1").toString());
    }

    @Test
    void closedUpscalerRefusesWork() {
        OisrUpscaler up = builder().build();
        up.close();
        assertThrows(IllegalStateException.class, () -> up.upscale(ImageTensorsTest.randomImage(4, 4, 7)));
    }
}
