package org.oisrstream.training;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.oisrstream.model.image.ImageFiles;
import org.oisrstream.model.image.RgbImage;
import org.oisrstream.model.quality.MatlabBicubic;
import org.oisrstream.training.data.PairSet;
import org.oisrstream.training.data.TrainingPair;

/** Smooth random colour images (sums of a few sinusoids), so a tiny network has something learnable. */
final class SyntheticImages {

    private SyntheticImages() {
    }

    static RgbImage image(int width, int height, long seed) {
        Random random = new Random(seed);
        double[][] waves = new double[3][6];
        for (double[] w : waves) {
            for (int i = 0; i < w.length; i++) {
                w[i] = random.nextDouble();
            }
        }
        byte[] pixels = new byte[width * height * 3];
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                for (int c = 0; c < 3; c++) {
                    double[] w = waves[c];
                    double v = 128 + 60 * Math.sin(x * (0.05 + 0.3 * w[0]) + y * (0.05 + 0.3 * w[1]) + 6 * w[2])
                            + 50 * Math.cos(x * 0.4 * w[3] - y * 0.4 * w[4] + 6 * w[5]);
                    pixels[(y * width + x) * 3 + c] = (byte) Math.max(0, Math.min(255, Math.round(v)));
                }
            }
        }
        return new RgbImage(width, height, pixels);
    }

    static PairSet pairs(int count, int hrSide, int scale, long seed) {
        List<TrainingPair> pairs = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            RgbImage hr = image(hrSide, hrSide, seed + i);
            pairs.add(new TrainingPair("img" + i, hr, MatlabBicubic.downscale(hr, scale)));
        }
        return new PairSet("synthetic", scale, pairs, List.of());
    }

    static List<Path> writeFolder(Path dir, int count, int width, int height, long seed) throws IOException {
        List<Path> files = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            Path f = dir.resolve(String.format("img%02d.png", i));
            ImageFiles.writePng(image(width, height, seed + i), f);
            files.add(f);
        }
        return files;
    }
}
