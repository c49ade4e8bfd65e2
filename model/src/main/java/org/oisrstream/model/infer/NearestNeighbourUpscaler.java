package org.oisrstream.model.infer;

import org.oisrstream.model.image.RgbImage;

/**
 * Pixel replication: every input pixel becomes a {@code scale x scale} block. Exact and cheap, so the pipeline
 * can be tested end to end (the expected output of any frame is known without a network).
 */
public final class NearestNeighbourUpscaler extends JavaUpscaler {

    public NearestNeighbourUpscaler(int scale) {
        super(scale);
    }

    @Override
    public String describe() {
        return "nearest x" + scale();
    }

    @Override
    protected RgbImage upscaleOne(RgbImage in) {
        int scale = scale();
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
