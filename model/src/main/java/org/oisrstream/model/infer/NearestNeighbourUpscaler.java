package org.oisrstream.model.infer;

import java.util.ArrayList;
import java.util.List;
import org.oisrstream.model.image.RgbImage;

/**
 * Pixel replication: every input pixel becomes a {@code scale x scale} block. Exact and cheap, so the pipeline
 * can be tested end to end (the expected output of any frame is known without a network).
 */
public final class NearestNeighbourUpscaler implements ImageUpscaler {

    private final int scale;

    public NearestNeighbourUpscaler(int scale) {
        if (scale < 1) {
            throw new IllegalArgumentException("scale must be positive, got " + scale);
        }
        this.scale = scale;
    }

    @Override
    public int scale() {
        return scale;
    }

    @Override
    public String describe() {
        return "nearest x" + scale;
    }

    @Override
    public List<RgbImage> upscale(List<RgbImage> images) {
        List<RgbImage> out = new ArrayList<>(images.size());
        for (RgbImage image : images) {
            out.add(upscaleOne(image));
        }
        return out;
    }

    private RgbImage upscaleOne(RgbImage in) {
        int w = in.width();
        int outW = w * scale;
        byte[] src = in.pixels();
        byte[] dst = new byte[Math.multiplyExact(Math.multiplyExact(outW, in.height() * scale), 3)];
        byte[] row = new byte[outW * 3];
        for (int y = 0; y < in.height(); y++) {
            int s = y * w * 3;
            int d = 0;
            for (int x = 0; x < w; x++, s += 3) {
                for (int k = 0; k < scale; k++) {
                    row[d++] = src[s];
                    row[d++] = src[s + 1];
                    row[d++] = src[s + 2];
                }
            }
            for (int k = 0; k < scale; k++) {
                System.arraycopy(row, 0, dst, (y * scale + k) * outW * 3, row.length);
            }
        }
        return new RgbImage(outW, in.height() * scale, dst);
    }
}
