package org.oisrstream.operators.media;

import java.util.ArrayList;
import java.util.List;
import org.oisrstream.model.image.RgbImage;
import org.oisrstream.model.infer.ImageUpscaler;

/** A real, simple upscaler for tests: nearest neighbour by an integer factor. */
final class NearestUpscaler implements ImageUpscaler {

    private final int scale;
    int calls;
    int largestBatch;

    NearestUpscaler(int scale) {
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
        calls++;
        largestBatch = Math.max(largestBatch, images.size());
        List<RgbImage> out = new ArrayList<>(images.size());
        for (RgbImage in : images) {
            int w = in.width() * scale;
            int h = in.height() * scale;
            byte[] px = new byte[w * h * 3];
            byte[] src = in.pixels();
            for (int y = 0; y < h; y++) {
                int sy = y / scale;
                for (int x = 0; x < w; x++) {
                    System.arraycopy(src, (sy * in.width() + x / scale) * 3, px, (y * w + x) * 3, 3);
                }
            }
            out.add(new RgbImage(w, h, px));
        }
        return out;
    }
}
