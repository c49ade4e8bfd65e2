package org.oisrstream.model.net;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.function.UnaryOperator;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Conv2dImpl;
import org.bytedeco.pytorch.InferenceMode;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorOptional;
import org.bytedeco.pytorch.global.torch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.oisrstream.model.image.YuvMatrix;

/** The Y'CbCr 4:2:0 fold against the layer-by-layer RGB reconstruction converted afterwards, edges included. */
class FoldedYuv420ReconstructionTest {

    private static final int FEATURES = 8;

    private static UnaryOperator<Tensor> layerByLayer(int scale) {
        torch.manual_seed(21 + scale);
        Upsampler upsampler = new Upsampler(scale, FEATURES);
        Conv2dImpl last = Layers.conv(FEATURES, 3, 3);
        return x -> last.forward(upsampler.forward(x)).mul(new Scalar(40));
    }

    private static double maxAbsDiff(Tensor a, Tensor b) {
        return a.sub(b).abs().max().item_double();
    }

    @ParameterizedTest(name = "x{0}, {1}x{2}, {3}")
    @CsvSource({"2, 13, 17, bt709", "4, 13, 17, bt601", "4, 31, 12, bt2020", "2, 7, 9, bt709", "4, 5, 30, bt601"})
    void matchesTheConvertedRgbEverywhereIncludingEdgesAndNarrowFrames(int scale, int height, int width, String name) {
        YuvMatrix matrix = switch (name) {
            case "bt601" -> YuvMatrix.BT601;
            case "bt709" -> YuvMatrix.BT709;
            default -> YuvMatrix.BT2020;
        };
        UnaryOperator<Tensor> exact = layerByLayer(scale);
        try (InferenceMode mode = new InferenceMode(); PointerScope scope = new PointerScope()) {
            // A mean shift as EDSR's: identity plus the dataset's mean colour.
            Tensor meanWeight = torch.eye(3).reshape(3, 3, 1, 1);
            Tensor meanBias = Tensor.create(new float[] {114.4f, 111.5f, 103.0f}, 3);
            FoldedReconstruction rgb = FoldedReconstruction.of(exact, FEATURES, scale);
            FoldedYuv420Reconstruction yuv = FoldedYuv420Reconstruction.of(rgb, meanWeight, meanBias, matrix, rgb);
            Tensor features = torch.randn(2, FEATURES, height, width).mul(new Scalar(3));
            Tensor reference = torch.conv2d(exact.apply(features), meanWeight, new TensorOptional(meanBias),
                    new long[] {1, 1}, new long[] {0, 0}, new long[] {1, 1}, 1);
            Yuv420Planes expected = Yuv420Planes.fromRgb(reference, matrix);
            Yuv420Planes actual = yuv.apply(features, exact);
            double range = expected.y().sub(new Scalar(128)).abs().max().item_double();
            assertTrue(range > 20, "a non-trivial output, max |Y - 128| " + range);
            for (Tensor[] pair : new Tensor[][] {{expected.y(), actual.y()}, {expected.cb(), actual.cb()},
                    {expected.cr(), actual.cr()}}) {
                assertArrayEquals(pair[0].shape(), pair[1].shape());
                // fp32 rounding of different summation orders; a wrong tap, edge or chroma block is off by far more.
                assertTrue(maxAbsDiff(pair[0], pair[1]) < 1e-3, "max difference " + maxAbsDiff(pair[0], pair[1]));
            }
            yuv.close();
            rgb.close();
        }
    }

    @Test
    void oddScalesAreRefused() {
        UnaryOperator<Tensor> exact = layerByLayer(3);
        try (InferenceMode mode = new InferenceMode(); PointerScope scope = new PointerScope();
             FoldedReconstruction rgb = FoldedReconstruction.of(exact, FEATURES, 3)) {
            assertThrows(IllegalArgumentException.class, () -> FoldedYuv420Reconstruction.of(rgb,
                    torch.eye(3).reshape(3, 3, 1, 1), torch.zeros(3), YuvMatrix.BT709, rgb));
        }
    }
}
