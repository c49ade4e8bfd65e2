package org.oisrstream.model.net;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.function.UnaryOperator;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Conv2dImpl;
import org.bytedeco.pytorch.Device;
import org.bytedeco.pytorch.InferenceMode;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The folded reconstruction against the layer-by-layer one it replaces, edges included. */
class FoldedReconstructionTest {

    private static final int FEATURES = 8;

    /** EDSR's upsampler and a last convolution with random weights and biases, run layer by layer. */
    private static UnaryOperator<Tensor> layerByLayer(int scale) {
        torch.manual_seed(11 + scale);
        Upsampler upsampler = new Upsampler(scale, FEATURES);
        Conv2dImpl last = Layers.conv(FEATURES, 3, 3);
        return x -> last.forward(upsampler.forward(x));
    }

    private static Tensor features(int batch, int height, int width) {
        return torch.randn(batch, FEATURES, height, width).mul(new Scalar(3));
    }

    private static double maxAbsDiff(Tensor a, Tensor b) {
        return a.sub(b).abs().max().item_double();
    }

    @ParameterizedTest(name = "x{0}, {1}x{2}")
    @CsvSource({"2, 13, 17", "3, 12, 12", "4, 13, 17", "4, 31, 12"})
    void matchesLayerByLayerEverywhereIncludingTheEdges(int scale, int height, int width) {
        UnaryOperator<Tensor> exact = layerByLayer(scale);
        try (InferenceMode mode = new InferenceMode(); FoldedReconstruction fold = FoldedReconstruction.of(exact, FEATURES, scale);
             PointerScope scope = new PointerScope()) {
            Tensor features = features(2, height, width);
            Tensor expected = exact.apply(features);
            Tensor actual = fold.apply(features, exact);
            assertArrayEquals(expected.shape(), actual.shape());
            double range = expected.abs().max().item_double();
            assertTrue(range > 1, "a non-trivial output, max |value| " + range);
            // Rounding of two summation orders in fp32; a wrong tap or edge is off by a sizeable share of the range.
            assertTrue(maxAbsDiff(expected, actual) < 1e-4 * range, "max difference " + maxAbsDiff(expected, actual)
                    + " of a range of " + range);
        }
    }

    @Test
    void theFoldedConvolutionAloneIsWrongOnlyAtTheEdge() {
        int scale = 4;
        UnaryOperator<Tensor> exact = layerByLayer(scale);
        try (InferenceMode mode = new InferenceMode(); FoldedReconstruction fold = FoldedReconstruction.of(exact, FEATURES, scale);
             PointerScope scope = new PointerScope()) {
            Tensor features = features(1, 16, 16);
            Tensor expected = exact.apply(features);
            Tensor convolved = fold.convolve(features);
            double range = expected.abs().max().item_double();
            int edge = FoldedReconstruction.EDGE * scale;
            int inner = 16 * scale - 2 * edge;
            assertTrue(maxAbsDiff(expected.narrow(2, edge, inner).narrow(3, edge, inner),
                    convolved.narrow(2, edge, inner).narrow(3, edge, inner)) < 1e-4 * range, "interior");
            assertTrue(maxAbsDiff(expected, convolved) > 1e-2 * range, "the edge bands are needed");
        }
    }

    @Test
    void narrowFramesRunLayerByLayer() {
        UnaryOperator<Tensor> exact = layerByLayer(2);
        try (InferenceMode mode = new InferenceMode(); FoldedReconstruction fold = FoldedReconstruction.of(exact, FEATURES, 2);
             PointerScope scope = new PointerScope()) {
            Tensor features = features(1, FoldedReconstruction.MIN_SIDE - 1, 40);
            assertEquals(0.0, maxAbsDiff(exact.apply(features), fold.apply(features, exact)));
        }
    }

    @ParameterizedTest(name = "x{0}")
    @CsvSource({"2", "3", "4"})
    void oneKernelOfFiveByFivePerOutputSubPixel(int scale) {
        try (FoldedReconstruction fold = FoldedReconstruction.of(layerByLayer(scale), FEATURES, scale)) {
            assertArrayEquals(new long[] {3L * scale * scale, FEATURES, 5, 5}, fold.weightShape());
        }
    }

    /** Two networks with the same random weights; the second folds its reconstruction. */
    private static OisrNet[] layerByLayerAndFolded(int scale) {
        torch.manual_seed(5);
        OisrNet plain = new OisrNet(new Architecture(BlockType.LF, 1, FEATURES, scale));
        OisrNet folded = new OisrNet(new Architecture(BlockType.LF, 1, FEATURES, scale));
        folded.load(plain.stateDict());
        plain.eval();
        folded.eval();
        folded.foldReconstruction();
        return new OisrNet[] {plain, folded};
    }

    @Test
    void networkInEvalModeRunsFoldedAndMatches() {
        OisrNet[] nets = layerByLayerAndFolded(4);
        try (PointerScope scope = new PointerScope(); InferenceMode mode = new InferenceMode()) {
            Tensor image = torch.rand(1, 3, 14, 18).mul(new Scalar(255));
            Tensor expected = nets[0].forward(image);
            assertTrue(maxAbsDiff(expected, nets[1].forward(image)) < 1e-3, "RGB 0..255");
        }
    }

    @Test
    void trainingModeRunsLayerByLayer() {
        OisrNet[] nets = layerByLayerAndFolded(2);
        nets[0].train(true);
        nets[1].train(true);
        try (PointerScope scope = new PointerScope()) {
            Tensor features = features(1, 20, 20);
            assertEquals(0.0, maxAbsDiff(nets[0].reconstruct(features).detach(), nets[1].reconstruct(features).detach()));
        }
    }

    @Test
    void bf16FoldStaysCloseToFp32LayerByLayer() {
        OisrNet[] nets = layerByLayerAndFolded(4);
        nets[1].moveTo(new Device(torch.DeviceType.CPU), torch.ScalarType.BFloat16);
        nets[1].setWeightMemoryFormat(torch.MemoryFormat.ChannelsLast);
        assertTrue(nets[1].reconstructionFolded());
        try (PointerScope scope = new PointerScope(); InferenceMode mode = new InferenceMode()) {
            Tensor image = torch.rand(1, 3, 14, 18).mul(new Scalar(255));
            Tensor expected = nets[0].forward(image);
            Tensor actual = nets[1].forward(image.contiguous(torch.MemoryFormat.ChannelsLast));
            assertTrue(maxAbsDiff(expected, actual) < 2.0, "bf16 within 2 of 255: " + maxAbsDiff(expected, actual));
        }
    }

    @Test
    void foldsOnlyFullPrecisionWeightsAndNewWeightsDropTheFold() {
        OisrNet[] nets = layerByLayerAndFolded(2);
        assertTrue(nets[1].reconstructionFolded());
        nets[1].load(nets[0].stateDict());
        assertFalse(nets[1].reconstructionFolded(), "new weights, stale fold");
        nets[0].moveTo(new Device(torch.DeviceType.CPU), torch.ScalarType.BFloat16);
        assertThrows(IllegalStateException.class, nets[0]::foldReconstruction);
    }
}
