package org.oisrstream.model.infer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
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
            double diff = maxDifference(new Tiling(16, 16), format);
            assertTrue(diff < 1e-3, "max difference " + diff);
        }
    }

    @Test
    void tilesWithoutOverlapShowSeams() {
        double diff = maxDifference(new Tiling(16, 0), torch.MemoryFormat.Contiguous);
        assertTrue(diff > 0.5, "max difference " + diff);
    }

    @Test
    void smallFramesAreNotTiled() {
        try (PointerScope scope = new PointerScope()) {
            Tensor x = torch.rand(1, 3, 8, 8);
            Tensor[] seen = new Tensor[1];
            Tensor out = new Tiling(16, 4).apply(t -> seen[0] = t, x, 2, torch.MemoryFormat.Contiguous);
            assertSame(x, seen[0]);
            assertSame(x, out);
        }
    }

    @Test
    void automaticTilesKeepActivationsInTheBudget() {
        long budget = 2L << 30;
        // lf-s x4 fp32: 720p output fits whole, a 1080p LR frame (4K x4 output) does not.
        assertSame(false, Tiling.fitting(budget, 1, 320, 180, 64, 4, 4, 16).enabled());
        Tiling big = Tiling.fitting(budget, 1, 1920, 1080, 64, 4, 4, 16);
        assertTrue(big.enabled());
        long side = big.tile() + 2L * big.overlap();
        assertTrue(side * side * 4 * (6 * 64 + 2 * 64 * 16) <= budget, "tile " + big);
        assertTrue(big.tile() % 8 == 0 && big.tile() >= 256, "tile " + big);
        // Half the bytes per element, bigger tiles; a batch of 4 shrinks them.
        assertTrue(Tiling.fitting(budget, 1, 1920, 1080, 64, 4, 2, 16).tile() > big.tile());
        assertTrue(Tiling.fitting(budget, 4, 1920, 1080, 64, 4, 4, 16).tile() < big.tile());
    }
}
