package org.oisrstream.model.infer;

import java.util.function.UnaryOperator;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.DeviceOptional;
import org.bytedeco.pytorch.MemoryFormatOptional;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorOptions;
import org.bytedeco.pytorch.global.torch;

/**
 * Runs a super-resolution network tile by tile so large frames fit in memory. Each LR tile of
 * {@code tile x tile} pixels is extended by {@code overlap} pixels of real context on every side (clipped at the
 * frame border), upscaled, and only its centre is kept, so seams vanish once the overlap covers the network's
 * receptive field (measured in docs/inference.md).
 */
public record Tiling(int tile, int overlap) {

    public static final int DEFAULT_OVERLAP = 16;

    public Tiling {
        if (tile < 0 || overlap < 0) {
            throw new IllegalArgumentException("tile and overlap must be >= 0, got " + tile + " and " + overlap);
        }
    }

    public static Tiling none() {
        return new Tiling(0, 0);
    }

    /**
     * Tiling that keeps one pass's activations within {@code budgetBytes}: none when the whole batch fits, else
     * square tiles (a multiple of 8 LR pixels, at least 32) with the given overlap. The estimate counts the
     * trunk's live feature maps (about 6 x F channels at LR) and the upsampler's output and its shuffled copy
     * (2 x F x s^2 channels), which dominate at x4.
     */
    public static Tiling fitting(long budgetBytes, int batch, long width, long height, int features, int scale,
                                 int bytesPerElement, int overlap) {
        long bytesPerLrPixel = (long) bytesPerElement * batch * (6L * features + 2L * features * scale * scale);
        long maxPixels = Math.max(1, budgetBytes / bytesPerLrPixel);
        if (width * height <= maxPixels) {
            return none();
        }
        // The overlap adds context on both sides of each tile.
        int side = Math.max(32, (int) ((Math.sqrt((double) maxPixels) - 2.0 * overlap) / 8) * 8);
        return new Tiling(side, overlap);
    }

    public boolean enabled() {
        return tile > 0;
    }

    /** {@code net(x)} for an N x C x H x W input, computed in tiles when the frame exceeds one tile. */
    public Tensor apply(UnaryOperator<Tensor> net, Tensor x, int scale, torch.MemoryFormat format) {
        long height = x.size(2);
        long width = x.size(3);
        if (!enabled() || (height <= tile && width <= tile)) {
            return net.apply(x);
        }
        // Allocated in the caller's pointer scope; the network's output is fp32 RGB.
        Tensor out = torch.empty(new long[] {x.size(0), 3, height * scale, width * scale},
                new TensorOptions(torch.ScalarType.Float).device(new DeviceOptional(x.device())),
                new MemoryFormatOptional(format));
        for (long y0 = 0; y0 < height; y0 += tile) {
            for (long x0 = 0; x0 < width; x0 += tile) {
                long th = Math.min(tile, height - y0);
                long tw = Math.min(tile, width - x0);
                long top = Math.max(0, y0 - overlap);
                long left = Math.max(0, x0 - overlap);
                long bottom = Math.min(height, y0 + th + overlap);
                long right = Math.min(width, x0 + tw + overlap);
                try (PointerScope scope = new PointerScope()) {
                    Tensor patch = x.narrow(2, top, bottom - top).narrow(3, left, right - left).contiguous(format);
                    Tensor up = net.apply(patch);
                    Tensor centre = up.narrow(2, (y0 - top) * scale, th * scale).narrow(3, (x0 - left) * scale, tw * scale);
                    out.narrow(2, y0 * scale, th * scale).narrow(3, x0 * scale, tw * scale).copy_(centre);
                }
            }
        }
        return out;
    }
}
