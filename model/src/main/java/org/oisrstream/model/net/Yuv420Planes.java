package org.oisrstream.model.net;

import org.bytedeco.pytorch.LongOptional;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorOptional;
import org.bytedeco.pytorch.global.torch;
import org.oisrstream.model.image.YuvMatrix;

/**
 * A batch of Y'CbCr 4:2:0 frames as fp32 tensors, unrounded, limited range: luma N x 1 x H x W, each chroma plane
 * N x 1 x ceil(H / 2) x ceil(W / 2), a chroma sample being the mean of its 2 x 2 luma positions.
 */
public record Yuv420Planes(Tensor y, Tensor cb, Tensor cr) {

    /** {@code rgb} (N x 3 x H x W, 0..255, any layout) converted with {@code matrix}. */
    public static Yuv420Planes fromRgb(Tensor rgb, YuvMatrix matrix) {
        Tensor rgbFloat = OisrNet.toFloat(rgb);
        Tensor yuv = torch.conv2d(rgbFloat, weights(matrix).to(rgbFloat.device(), torch.ScalarType.Float),
                new TensorOptional(offsets(matrix).to(rgbFloat.device(), torch.ScalarType.Float)), new long[] {1, 1}, new long[] {0, 0},
                new long[] {1, 1}, 1);
        Tensor chroma = torch.avg_pool2d(yuv.narrow(1, 1, 2), new long[] {2, 2}, new long[] {2, 2}, new long[] {0, 0},
                true, false, new LongOptional());
        return new Yuv420Planes(yuv.narrow(1, 0, 1), chroma.narrow(1, 0, 1), chroma.narrow(1, 1, 1));
    }

    /** {@code matrix}'s weights of R, G and B as a 3 -> 3 1x1 convolution's (fp32, CPU). */
    static Tensor weights(YuvMatrix matrix) {
        double[][] m = matrix.fromRgb();
        float[] w = new float[9];
        for (int row = 0; row < 3; row++) {
            for (int col = 0; col < 3; col++) {
                w[row * 3 + col] = (float) m[row][col];
            }
        }
        return Tensor.create(w, 3, 3, 1, 1);
    }

    /** {@code matrix}'s offsets of Y', Cb and Cr (fp32, CPU). */
    static Tensor offsets(YuvMatrix matrix) {
        double[][] m = matrix.fromRgb();
        return Tensor.create(new float[] {(float) m[0][3], (float) m[1][3], (float) m[2][3]}, 3);
    }
}
