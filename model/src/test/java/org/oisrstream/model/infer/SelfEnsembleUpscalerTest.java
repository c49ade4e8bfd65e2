package org.oisrstream.model.infer;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.oisrstream.model.image.RgbImage;

class SelfEnsembleUpscalerTest {

    /** Nearest-neighbour enlargement: it commutes with flips and rotations. */
    static class Nearest implements ImageUpscaler {
        final List<Integer> batchSizes = new ArrayList<>();
        final int brightenTopLeft;

        Nearest(int brightenTopLeft) {
            this.brightenTopLeft = brightenTopLeft;
        }

        @Override
        public int scale() {
            return 2;
        }

        @Override
        public String describe() {
            return "nearest x2";
        }

        @Override
        public List<RgbImage> upscale(List<RgbImage> images) {
            batchSizes.add(images.size());
            for (RgbImage image : images) {
                assertEquals(images.get(0).width(), image.width(), "one size per batch");
            }
            return images.stream().map(this::enlarge).toList();
        }

        private RgbImage enlarge(RgbImage in) {
            int w = in.width() * 2;
            byte[] out = new byte[w * in.height() * 2 * 3];
            for (int y = 0; y < in.height() * 2; y++) {
                for (int x = 0; x < w; x++) {
                    for (int c = 0; c < 3; c++) {
                        out[(y * w + x) * 3 + c] = (byte) in.get(x / 2, y / 2, c);
                    }
                }
            }
            for (int c = 0; c < 3; c++) {
                out[c] = (byte) ((out[c] & 0xff) + brightenTopLeft);
            }
            return new RgbImage(w, in.height() * 2, out);
        }
    }

    @Test
    void anUpscalerThatCommutesWithTheTransformsIsUnchanged() {
        RgbImage image = image(7, 4);
        Nearest nearest = new Nearest(0);
        SelfEnsembleUpscaler ensemble = new SelfEnsembleUpscaler(nearest);
        assertEquals(nearest.upscale(image), ensemble.upscale(image));
        assertEquals(List.of(1, 4, 4), nearest.batchSizes);
    }

    @Test
    void outputsAreAveragedAfterUndoingEachTransform() {
        // The inner upscaler adds 8 to its top-left output pixel. Mapped back, each corner of the result gets that
        // from two of the eight transforms: +16 / 8 = +2 on every corner, nothing elsewhere.
        RgbImage image = image(5, 3);
        RgbImage plain = new Nearest(0).upscale(image);
        RgbImage ensembled = new SelfEnsembleUpscaler(new Nearest(8)).upscale(image);
        int w = plain.width();
        int h = plain.height();
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                boolean corner = (x == 0 || x == w - 1) && (y == 0 || y == h - 1);
                for (int c = 0; c < 3; c++) {
                    assertEquals(plain.get(x, y, c) + (corner ? 2 : 0), ensembled.get(x, y, c), x + "," + y);
                }
            }
        }
    }

    private static RgbImage image(int w, int h) {
        byte[] p = new byte[w * h * 3];
        Random random = new Random(11);
        for (int i = 0; i < p.length; i++) {
            p[i] = (byte) (20 + random.nextInt(200));
        }
        return new RgbImage(w, h, p);
    }
}
