package org.oisrstream.model.net;

import java.util.function.UnaryOperator;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Device;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorOptional;
import org.bytedeco.pytorch.global.torch;
import org.oisrstream.model.image.YuvMatrix;

/**
 * The folded reconstruction ({@link FoldedReconstruction}) giving Y'CbCr 4:2:0 instead of RGB, for an even scale.
 *
 * <p>After the fold, RGB, the mean shift, a colour matrix and the 2 x 2 chroma mean are all affine, and at an even
 * scale s every 2 x 2 chroma block lies inside one input pixel's s x s output block. So one convolution F ->
 * s^2 + 2 (s/2)^2 at the input resolution gives every output sub-pixel's Y' and every chroma sample directly:
 * half the output channels of the RGB fold (a cheaper convolution, half the bytes to round and copy), and no
 * RGB -> YUV pass in the encoder. Output channels: Y' sub-pixels (i s + j), then Cb and Cr samples
 * (i (s/2) + j) of each input pixel's block. The edge bands, computed layer by layer in RGB as for the RGB fold,
 * go through the same linear map ({@link #mix}) as a 1 x 1 convolution. The offsets (16 and 128 and the mean's
 * share) are added in fp32 after the convolution, so a bf16 convolution rounds only the deviations, as the RGB
 * fold does.
 */
final class FoldedYuv420Reconstruction implements AutoCloseable {

    private final Tensor weight;
    private final Tensor bias;
    /** RGB deviations per sub-pixel (3 s^2 channels, pixel_unshuffle order) -> the output channels: K x 3 s^2 x 1 x 1. */
    private final Tensor mix;
    /** What the output channels add after the convolution, fp32, K x 1 x 1. */
    private final Tensor offset;
    private final int scale;

    private FoldedYuv420Reconstruction(Tensor weight, Tensor bias, Tensor mix, Tensor offset, int scale) {
        this.weight = weight;
        this.bias = bias;
        this.mix = mix;
        this.offset = offset;
        this.scale = scale;
    }

    /**
     * Folds {@code matrix} into {@code rgb} (fp32 on the CPU), whose output the mean shift {@code meanWeight} (3 x 3)
     * and {@code meanBias} (3) turn into RGB 0..255; the result has the device, dtype and weight layout of
     * {@code like} (the fold the network runs).
     */
    static FoldedYuv420Reconstruction of(FoldedReconstruction rgb, Tensor meanWeight, Tensor meanBias,
                                         YuvMatrix matrix, FoldedReconstruction like) {
        int s = rgb.scale();
        if (s % 2 != 0) {
            throw new IllegalArgumentException("4:2:0 chroma blocks straddle input pixels at odd scale x" + s);
        }
        int subPixels = s * s;
        int half = s / 2;
        int chroma = half * half;
        int k = subPixels + 2 * chroma;
        double[][] yuv = matrix.fromRgb();
        double[][] mean = new double[3][3];
        double[] meanOffset = new double[3];
        try (PointerScope scope = new PointerScope()) {
            float[] w = new float[9];
            // The mean shift lives where the network does (a GPU, say): read it on the CPU.
            Device cpu = new Device(torch.DeviceType.CPU);
            meanWeight.to(cpu, torch.ScalarType.Float).reshape(9).contiguous().data_ptr_float().get(w);
            float[] b = new float[3];
            meanBias.to(cpu, torch.ScalarType.Float).contiguous().data_ptr_float().get(b);
            for (int r = 0; r < 3; r++) {
                meanOffset[r] = b[r];
                for (int c = 0; c < 3; c++) {
                    mean[r][c] = w[r * 3 + c];
                }
            }
        }
        // A component's weights on the RGB deviations (the mean shift's matrix folded in) and its constant.
        double[][] onDeviations = new double[3][3];
        double[] constant = new double[3];
        for (int row = 0; row < 3; row++) {
            constant[row] = yuv[row][3];
            for (int c = 0; c < 3; c++) {
                constant[row] += yuv[row][c] * meanOffset[c];
                for (int d = 0; d < 3; d++) {
                    onDeviations[row][d] += yuv[row][c] * mean[c][d];
                }
            }
        }
        float[] mixValues = new float[k * 3 * subPixels];
        float[] offsets = new float[k];
        for (int i = 0; i < s; i++) {
            for (int j = 0; j < s; j++) {
                int p = i * s + j;
                int block = (i / 2) * half + j / 2;
                for (int d = 0; d < 3; d++) {
                    int in = d * subPixels + p;
                    mixValues[p * 3 * subPixels + in] = (float) onDeviations[0][d];
                    mixValues[(subPixels + block) * 3 * subPixels + in] = (float) (onDeviations[1][d] / 4);
                    mixValues[(subPixels + chroma + block) * 3 * subPixels + in] = (float) (onDeviations[2][d] / 4);
                }
            }
        }
        for (int p = 0; p < subPixels; p++) {
            offsets[p] = (float) constant[0];
        }
        for (int q = 0; q < chroma; q++) {
            offsets[subPixels + q] = (float) constant[1];
            offsets[subPixels + chroma + q] = (float) constant[2];
        }
        try (PointerScope scope = new PointerScope()) {
            Tensor mixMatrix = Tensor.create(mixValues, k, 3L * subPixels);
            Tensor rgbWeight = rgb.weight();
            long[] shape = rgbWeight.shape();
            Tensor weight = mixMatrix.mm(rgbWeight.reshape(shape[0], -1)).reshape(k, shape[1], shape[2], shape[3]);
            Tensor bias = mixMatrix.mv(rgb.bias());
            Tensor likeWeight = like.weight();
            torch.MemoryFormat format = likeWeight.is_contiguous(torch.MemoryFormat.ChannelsLast)
                    && !likeWeight.is_contiguous() ? torch.MemoryFormat.ChannelsLast : torch.MemoryFormat.Contiguous;
            Tensor deviceWeight = weight.to(likeWeight.device(), likeWeight.scalar_type()).contiguous(format);
            Tensor deviceBias = bias.to(likeWeight.device(), likeWeight.scalar_type());
            Tensor deviceMix = mixMatrix.reshape(k, 3L * subPixels, 1, 1).to(likeWeight.device(), torch.ScalarType.Float);
            Tensor deviceOffset = Tensor.create(offsets, k, 1, 1).to(likeWeight.device(), torch.ScalarType.Float);
            for (Tensor t : new Tensor[] {deviceWeight, deviceBias, deviceMix, deviceOffset}) {
                t.retainReference(); // beyond the scope, released by close()
            }
            return new FoldedYuv420Reconstruction(deviceWeight, deviceBias, deviceMix, deviceOffset, s);
        }
    }

    /**
     * The planes of {@code features} (N x F x h x w); {@code layerByLayer} gives RGB deviations (before the mean
     * shift) for the edge bands, and for frames too narrow to fold.
     */
    Yuv420Planes apply(Tensor features, UnaryOperator<Tensor> layerByLayer) {
        long h = features.size(2);
        long w = features.size(3);
        Tensor channels;
        if (h < FoldedReconstruction.MIN_SIDE || w < FoldedReconstruction.MIN_SIDE) {
            channels = mixed(layerByLayer.apply(features));
        } else {
            channels = Scoped.result(() -> OisrNet.toFloat(torch.conv2d(features, weight, new TensorOptional(bias),
                    new long[] {1, 1}, new long[] {FoldedReconstruction.KERNEL / 2, FoldedReconstruction.KERNEL / 2},
                    new long[] {1, 1}, 1)));
            UnaryOperator<Tensor> exact = bands -> mixed(layerByLayer.apply(bands));
            FoldedReconstruction.replaceEdges(channels, features, 2, exact, 1);
            FoldedReconstruction.replaceEdges(channels, features, 3, exact, 1);
        }
        channels.add_(offset);
        int subPixels = scale * scale;
        int chroma = subPixels / 4;
        return new Yuv420Planes(torch.pixel_shuffle(channels.narrow(1, 0, subPixels), scale),
                torch.pixel_shuffle(channels.narrow(1, subPixels, chroma), scale / 2),
                torch.pixel_shuffle(channels.narrow(1, subPixels + chroma, chroma), scale / 2));
    }

    /** RGB deviations at the output resolution (N x 3 x sh x sw) as output channels without offsets, fp32. */
    private Tensor mixed(Tensor rgbDeviations) {
        return Scoped.result(() -> torch.conv2d(OisrNet.toFloat(torch.pixel_unshuffle(rgbDeviations, scale)), mix,
                new TensorOptional(), new long[] {1, 1}, new long[] {0, 0}, new long[] {1, 1}, 1));
    }

    @Override
    public void close() {
        weight.close();
        bias.close();
        mix.close();
        offset.close();
    }
}
