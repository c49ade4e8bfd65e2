package org.oisrstream.model.infer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.InferenceMode;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.oisrstream.model.net.Architecture;
import org.oisrstream.model.net.BlockType;
import org.oisrstream.model.net.OisrNet;

/** Tiling on a small network whose receptive field (about 13 LR pixels each way) is smaller than the overlap. */
class TilingTest {

    private static OisrNet net;

    @BeforeAll
    static void smallNetwork() {
        torch.manual_seed(3);
        net = new OisrNet(new Architecture(BlockType.RK2, 2, 8, 3));
    }

    @AfterAll
    static void close() {
        net.close();
    }

    private static double maxDifference(Tiling tiling, torch.MemoryFormat format) {
        try (PointerScope scope = new PointerScope(); InferenceMode mode = new InferenceMode()) {
            Tensor x = torch.rand(2, 3, 37, 50).mul(new Scalar(255.0)).contiguous(format);
            Tensor whole = net.forward(x);
            Tensor tiled = tiling.apply(net::forward, x, 3, format);
            assertArrayEquals(whole.shape(), tiled.shape());
            return tiled.sub(whole).abs().max().item_float();
        }
    }

    @Test
    void overlapCoveringTheReceptiveFieldReproducesTheWholeFrame() {
        for (torch.MemoryFormat format : new torch.MemoryFormat[] {torch.MemoryFormat.Contiguous,
                torch.MemoryFormat.ChannelsLast}) {
            double diff = maxDifference(Tiling.square(16, 16), format);
            assertTrue(diff < 1e-3, "max difference " + diff);
        }
    }

    @Test
    void tilesWithoutOverlapShowSeams() {
        double diff = maxDifference(Tiling.square(16, 0), torch.MemoryFormat.Contiguous);
        assertTrue(diff > 0.5, "max difference " + diff);
    }

    @Test
    void smallFramesAreNotTiled() {
        try (PointerScope scope = new PointerScope()) {
            Tensor x = torch.rand(1, 3, 8, 8);
            Tensor[] seen = new Tensor[1];
            Tensor out = Tiling.square(16, 4).apply(t -> seen[0] = t, x, 2, torch.MemoryFormat.Contiguous);
            assertSame(x, seen[0]);
            assertSame(x, out);
        }
    }

    @Test
    void reconstructionStripsWithTheirContextReproduceTheWholeFrameExactly() {
        for (torch.MemoryFormat format : new torch.MemoryFormat[] {torch.MemoryFormat.Contiguous,
                torch.MemoryFormat.ChannelsLast}) {
            try (PointerScope scope = new PointerScope(); InferenceMode mode = new InferenceMode()) {
                Tensor x = torch.rand(2, 3, 37, 50).mul(new Scalar(255.0)).contiguous(format);
                Tensor whole = net.forward(x);
                Tensor features = net.features(x);
                Tensor strips = Tiling.rows(5, OisrNet.RECONSTRUCTION_CONTEXT).apply(net::reconstruct, features, 3, format);
                assertArrayEquals(whole.shape(), strips.shape());
                double diff = strips.sub(whole).abs().max().item_float();
                assertTrue(diff < 1e-3, "max difference " + diff);
                // One row of context too few shows at the strip borders.
                Tensor short1 = Tiling.rows(5, OisrNet.RECONSTRUCTION_CONTEXT - 1).apply(net::reconstruct, features, 3, format);
                assertTrue(short1.sub(whole).abs().max().item_float() > 1e-3);
            }
        }
    }

    @Test
    void theStageDecidesTheOutputsChannelsAndType() {
        try (PointerScope scope = new PointerScope(); InferenceMode mode = new InferenceMode()) {
            Tensor x = torch.rand(1, 3, 20, 30).mul(new Scalar(255.0));
            Tensor features = Tiling.square(8, 8).apply(net::features, x, 1, torch.MemoryFormat.Contiguous);
            assertArrayEquals(new long[] {1, 8, 20, 30}, features.shape());
            double diff = features.sub(net.features(x)).abs().max().item_float();
            assertTrue(diff < 1e-3, "max difference " + diff);
        }
    }

    @Test
    void tileCountsCoverTheFrame() {
        assertEquals(6, Tiling.square(16, 4).tileCount(40, 20));
        assertEquals(3, Tiling.rows(8, 3).tileCount(1000, 17));
        assertEquals(1, Tiling.none().tileCount(1920, 1080));
    }
}
