package org.oisrstream.model.infer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.oisrstream.model.net.ModelSpec;
import org.oisrstream.model.net.OisrNet;

/** What batch and tiles the policy picks for given frames, budgets and devices (nothing is run or timed). */
class InferencePolicyTest {

    private static InferencePolicy.Builder lfsX4() {
        return InferencePolicy.builder(ModelSpec.of("lf-s", 4).architecture()).maxBatch(8);
    }

    @Test
    void cpuRunsLargeFramesAloneAndBatchesSmallOnes() {
        InferencePolicy cpu = lfsX4().build();
        assertEquals(1, cpu.plan(8, 480, 270).batch(), "a 480x270 frame fills the cores alone");
        assertEquals(1, cpu.plan(8, 128, 128).batch());
        assertEquals(4, cpu.plan(8, 64, 64).batch(), "up to 128x128 input pixels per pass");
        assertEquals(3, cpu.plan(3, 64, 64).batch(), "never more than are waiting");
        assertEquals(8, cpu.plan(20, 16, 16).batch(), "never more than the maximum batch");
    }

    @Test
    void cpuKeepsTheTrunkWholeAndCutsTheReconstructionIntoStripsWithinTheirBudget() {
        InferencePolicy cpu = lfsX4().build();
        // 960x540 -> 3840x2160: the upsampler's maps (32 F values per input pixel) exceed 1 GiB.
        ExecutionPlan plan = cpu.plan(1, 960, 540);
        assertFalse(plan.network().enabled());
        Tiling strips = plan.reconstruction();
        assertTrue(strips.enabled());
        assertEquals(0, strips.width(), "full-width strips");
        assertEquals(OisrNet.RECONSTRUCTION_CONTEXT, strips.overlap());
        long stripBytes = 960L * (strips.height() + 2L * strips.overlap()) * cpu.reconstructionBytesPerPixel();
        assertTrue(stripBytes <= InferencePolicy.DEFAULT_STRIP_BYTES, "strip of " + stripBytes + " bytes");
        // bf16 halves the feature maps: taller strips.
        Tiling bf16 = lfsX4().bytesPerElement(2).build().plan(1, 960, 540).reconstruction();
        assertTrue(bf16.height() > strips.height(), bf16 + " vs " + strips);
        // A 1080p x4 output in bf16 fits one strip, so its reconstruction runs whole.
        assertFalse(lfsX4().bytesPerElement(2).build().plan(1, 480, 270).reconstruction().enabled());
        // A smaller strip budget cuts it.
        assertTrue(lfsX4().stripBytes(128L << 20).build().plan(1, 480, 270).reconstruction().enabled());
    }

    @Test
    void aFoldedReconstructionNeedsAFractionOfTheMemoryAndStripsOnlyHugeFrames() {
        InferencePolicy layerByLayer = lfsX4().build();
        InferencePolicy folded = lfsX4().foldedReconstruction(true).build();
        // x4, fp32: 2 x 16 F = 2048 bytes per input pixel of upsampler maps against 2 x 48 values folded.
        assertEquals(2L * 64 * 16 * 4 + 2L * 48 * 4, layerByLayer.reconstructionBytesPerPixel());
        assertEquals(2L * 48 * 4 + 2L * 48 * 4, folded.reconstructionBytesPerPixel());
        assertTrue(layerByLayer.plan(1, 960, 540).reconstruction().enabled(), "2160p output in strips layer by layer");
        assertFalse(folded.plan(1, 960, 540).reconstruction().enabled(), "whole when folded");
        assertTrue(lfsX4().foldedReconstruction(true).stripBytes(64L << 20).build().plan(1, 960, 540)
                .reconstruction().enabled(), "a smaller strip budget still cuts it");
    }

    @Test
    void reconstructionStripsHaveEqualHeightsSoNoneIsAThinRemainder() {
        // fp32 480x270: 1 GiB holds 256 rows; cut as 2 x 135, not 256 + 14.
        Tiling strips = lfsX4().build().plan(1, 480, 270).reconstruction();
        assertEquals(135, strips.height(), strips.toString());
        long perRow = 480L * lfsX4().build().reconstructionBytesPerPixel();
        assertTrue((strips.height() + 2L * strips.overlap()) * perRow <= InferencePolicy.DEFAULT_STRIP_BYTES);
        // 960x540 in fp32: 126 rows fit; five strips of 108 rows each.
        assertEquals(108, lfsX4().build().plan(1, 960, 540).reconstruction().height());
        for (int height : new int[] {100, 270, 541, 1080, 2001}) {
            Tiling t = lfsX4().stripBytes(200L << 20).build().plan(1, 480, height).reconstruction();
            if (!t.enabled()) {
                continue;
            }
            int n = (height + t.height() - 1) / t.height();
            int last = height - (n - 1) * t.height();
            assertTrue(last > 0 && t.height() - last < n, height + " rows as " + n + " x " + t.height()
                    + ": the last strip has " + last);
        }
    }

    @Test
    void cpuTilesTheWholeNetworkWhenTheTrunkExceedsTheBudget() {
        InferencePolicy cpu = lfsX4().budgetBytes(1L << 30).build();
        assertFalse(cpu.plan(1, 960, 540).network().enabled(), "960x540 (4K output) trunk fits 1 GiB in fp32");
        ExecutionPlan huge = cpu.plan(1, 1920, 1080);
        Tiling tiles = huge.network();
        assertTrue(tiles.enabled() && tiles.width() == tiles.height(), huge.toString());
        assertEquals(Tiling.DEFAULT_OVERLAP, tiles.overlap());
        long side = tiles.width() + 2L * tiles.overlap();
        assertTrue(side * side * cpu.networkBytesPerPixel() <= 1L << 30, "tile " + tiles);
        assertTrue(tiles.width() % 8 == 0 && tiles.width() >= 256, "tile " + tiles);
    }

    @Test
    void overridesWin() {
        assertEquals(ExecutionPlan.whole(1), lfsX4().tile(0).build().plan(1, 1920, 1080));
        assertEquals(new ExecutionPlan(1, Tiling.square(100, 16), Tiling.none()),
                lfsX4().tile(100).build().plan(1, 480, 270));
        assertEquals(1, lfsX4().maxBatch(1).build().plan(8, 16, 16).batch());
        assertEquals(5, lfsX4().build().planForBatch(5, 480, 270).batch(), "a benchmark's fixed batch");
    }

    @Test
    void cudaBatchesAsManyFramesAsFitInFreeMemory() {
        InferencePolicy.Builder gpu = lfsX4().bytesPerElement(2).device(InferencePolicy.Device.CUDA);
        long perFrame = 480L * 270 * gpu.build().networkBytesPerPixel();
        assertEquals(8, gpu.freeDeviceBytes(() -> 40L << 30).build().plan(16, 480, 270).batch());
        InferencePolicy small = gpu.freeDeviceBytes(() -> (long) (3.5 * perFrame / InferencePolicy.CUDA_FREE_SHARE)).build();
        ExecutionPlan three = small.plan(16, 480, 270);
        assertEquals(3, three.batch());
        assertEquals(ExecutionPlan.whole(3), three, "whole frames: large kernels are what a GPU wants");
        ExecutionPlan tight = gpu.freeDeviceBytes(() -> perFrame / 4).build().plan(16, 480, 270);
        assertEquals(1, tight.batch());
        assertTrue(tight.network().enabled(), "a frame larger than free memory runs in tiles: " + tight);
    }

    @Test
    void outOfMemoryShrinksTheBatchThenTheTilesThenGivesUp() {
        InferencePolicy gpu = lfsX4().bytesPerElement(2).device(InferencePolicy.Device.CUDA)
                .freeDeviceBytes(() -> 40L << 30).build();
        ExecutionPlan plan = gpu.plan(8, 480, 270);
        int[] batches = new int[4];
        for (int i = 0; i < 4; i++) {
            batches[i] = plan.batch();
            plan = gpu.shrink(plan, 480, 270).orElseThrow();
        }
        assertEquals("[8, 4, 2, 1]", java.util.Arrays.toString(batches));
        assertTrue(plan.network().enabled(), "after batch 1 come tiles: " + plan);
        int previous = Integer.MAX_VALUE;
        Optional<ExecutionPlan> next = Optional.of(plan);
        int steps = 0;
        while (next.isPresent()) {
            int side = next.get().network().width();
            assertTrue(side < previous && side >= InferencePolicy.MIN_TILE, "tiles shrink: " + side);
            previous = side;
            next = gpu.shrink(next.get(), 480, 270);
            assertTrue(++steps < 20);
        }
    }

    @Test
    void precisionAutoPicksWhatTheDeviceDoesNatively() {
        CpuFeatures bf16 = CpuFeatures.parse(Stream.of("processor : 0", "flags : fpu sse avx512f avx512_bf16"));
        CpuFeatures plain = CpuFeatures.parse(Stream.of("flags\t\t: fpu sse avx2"));
        assertEquals(Set.of("fpu", "sse", "avx2"), plain.flags());
        assertEquals(Precision.BF16, Precision.forDevice(ComputeDevice.CPU, bf16));
        assertEquals(Precision.FP32, Precision.forDevice(ComputeDevice.CPU, plain));
        assertEquals(Precision.FP16, Precision.forDevice(ComputeDevice.parse("cuda:0"), plain));
        assertEquals(Precision.FP32, Precision.resolve("fp32", ComputeDevice.parse("cuda:0")));
        assertTrue(Precision.isAuto(" AUTO "));
    }
}
