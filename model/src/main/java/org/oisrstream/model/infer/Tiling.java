package org.oisrstream.model.infer;

import java.util.function.UnaryOperator;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.DeviceOptional;
import org.bytedeco.pytorch.MemoryFormatOptional;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorOptions;
import org.bytedeco.pytorch.global.torch;

/**
 * Runs a network stage tile by tile so large frames fit in memory and caches. Each input tile of
 * {@code width x height} pixels (0 in a dimension: the whole frame that way, e.g. full-width strips) is extended
 * by {@code overlap} pixels of real context on every side (clipped at the frame border), run, and only its
 * centre is kept, so seams vanish once the overlap covers the stage's receptive field (measured in
 * docs/inference.md).
 */
public record Tiling(int width, int height, int overlap) {

    public static final int DEFAULT_OVERLAP = 16;

    public Tiling {
        if (width < 0 || height < 0 || overlap < 0) {
            throw new IllegalArgumentException("tile sides and overlap must be >= 0, got " + width + "x" + height
                    + " and " + overlap);
        }
    }

    /** Square tiles of {@code tile} pixels (0: no tiling). */
    public static Tiling square(int tile, int overlap) {
        return tile == 0 ? none() : new Tiling(tile, tile, overlap);
    }

    /** Full-width strips of {@code rows} pixels (0: no tiling). */
    public static Tiling rows(int rows, int overlap) {
        return rows == 0 ? none() : new Tiling(0, rows, overlap);
    }

    public static Tiling none() {
        return new Tiling(0, 0, 0);
    }

    public boolean enabled() {
        return width > 0 || height > 0;
    }

    /** How many tiles a frame of {@code frameWidth x frameHeight} input pixels is cut into. */
    public long tileCount(long frameWidth, long frameHeight) {
        long across = width == 0 ? 1 : (frameWidth + width - 1) / width;
        long down = height == 0 ? 1 : (frameHeight + height - 1) / height;
        return across * down;
    }

    /**
     * {@code stage(x)} for an N x C x H x W input whose output is N x C' x sH x sW, computed in tiles when the
     * frame exceeds one tile. The output has the stage's own channels and dtype and the given memory format.
     */
    public Tensor apply(UnaryOperator<Tensor> stage, Tensor x, int scale, torch.MemoryFormat format) {
        long frameHeight = x.size(2);
        long frameWidth = x.size(3);
        long tileHeight = height == 0 ? frameHeight : height;
        long tileWidth = width == 0 ? frameWidth : width;
        if (!enabled() || (frameHeight <= tileHeight && frameWidth <= tileWidth)) {
            return stage.apply(x);
        }
        // Allocated once the first tile shows the stage's channels and dtype, and handed to the caller's scope.
        PointerScope callerScope = PointerScope.getInnerScope();
        Tensor out = null;
        for (long y0 = 0; y0 < frameHeight; y0 += tileHeight) {
            for (long x0 = 0; x0 < frameWidth; x0 += tileWidth) {
                long th = Math.min(tileHeight, frameHeight - y0);
                long tw = Math.min(tileWidth, frameWidth - x0);
                long top = Math.max(0, y0 - overlap);
                long left = Math.max(0, x0 - overlap);
                long bottom = Math.min(frameHeight, y0 + th + overlap);
                long right = Math.min(frameWidth, x0 + tw + overlap);
                Tensor patch = x.narrow(2, top, bottom - top).narrow(3, left, right - left);
                if (out == null) {
                    try (PointerScope scope = new PointerScope()) {
                        Tensor up = stage.apply(patch.contiguous(format));
                        out = torch.empty(new long[] {x.size(0), up.size(1), frameHeight * scale, frameWidth * scale},
                                new TensorOptions(up.scalar_type()).device(new DeviceOptional(x.device())),
                                new MemoryFormatOptional(format));
                        out.retainReference(); // survives this tile's scope
                        copyCentre(up, out, y0, x0, th, tw, top, left, scale);
                    }
                    if (callerScope != null) {
                        callerScope.attach(out);
                        out.releaseReference(); // now the caller's scope holds the only reference
                    }
                    continue;
                }
                try (PointerScope scope = new PointerScope()) {
                    copyCentre(stage.apply(patch.contiguous(format)), out, y0, x0, th, tw, top, left, scale);
                }
            }
        }
        return out;
    }

    private static void copyCentre(Tensor up, Tensor out, long y0, long x0, long th, long tw, long top, long left,
                                   int scale) {
        Tensor centre = up.narrow(2, (y0 - top) * scale, th * scale).narrow(3, (x0 - left) * scale, tw * scale);
        out.narrow(2, y0 * scale, th * scale).narrow(3, x0 * scale, tw * scale).copy_(centre);
    }

    @Override
    public String toString() {
        if (!enabled()) {
            return "whole frames";
        }
        String size = width == 0 ? height + "-row strips" : height == 0 ? width + "-column strips"
                : width == height ? width + "px tiles" : width + "x" + height + " tiles";
        return size + " + " + overlap;
    }
}
