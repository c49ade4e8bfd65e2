package org.oisrstream.training.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.oisrstream.model.image.ImageFiles;
import org.oisrstream.model.image.RgbImage;
import org.oisrstream.model.quality.MatlabBicubic;

class PairLoaderTest {

    @TempDir
    Path tmp;

    private final AtomicInteger downscales = new AtomicInteger();
    private final Downscaler counting = new Downscaler() {
        @Override
        public RgbImage downscale(RgbImage hr, int scale) {
            downscales.incrementAndGet();
            return MatlabBicubic.downscale(hr, scale);
        }

        @Override
        public String id() {
            return "counting-bicubic";
        }
    };

    private static RgbImage gradient(int w, int h) {
        byte[] p = new byte[w * h * 3];
        for (int i = 0; i < p.length; i++) {
            p[i] = (byte) (i * 7 % 251);
        }
        return new RgbImage(w, h, p);
    }

    @Test
    void cropsToAMultipleOfTheScaleSkipsBadImagesAndCachesTheRest() throws IOException {
        Path dir = tmp.resolve("hr");
        ImageFiles.writePng(gradient(50, 41), dir.resolve("a.png"));
        ImageFiles.writePng(gradient(8, 40), dir.resolve("narrow.png"));
        Files.write(dir.resolve("broken.jpg"), new byte[] {1, 2, 3, 4});
        Path cache = tmp.resolve("cache");
        PairLoader loader = new PairLoader(counting, 6, 2, Optional.of(cache));

        PairSet first = loader.load("hr", DataLayouts.hrFolder(dir), 4);
        assertEquals(1, first.pairs().size());
        TrainingPair pair = first.pairs().get(0);
        assertEquals(48, pair.hr().width());
        assertEquals(40, pair.hr().height());
        assertEquals(MatlabBicubic.downscale(gradient(50, 41).crop(0, 0, 48, 40), 4), pair.lr());
        assertEquals(2, first.skipped().size());
        assertTrue(first.skipped().stream().anyMatch(s -> s.reason().contains("unreadable")));
        assertTrue(first.skipped().stream().anyMatch(s -> s.reason().contains("smaller than one HR patch")));

        PairSet second = loader.load("hr", DataLayouts.hrFolder(dir), 4);
        assertEquals(1, downscales.get(), "the second load comes from the cache");
        assertEquals(pair.hr(), second.pairs().get(0).hr());
        assertEquals(pair.lr(), second.pairs().get(0).lr());
        assertEquals(2, second.skipped().size());
    }

    @Test
    void aDamagedCacheIsIgnoredAndRebuilt() throws IOException {
        Path dir = tmp.resolve("hr");
        ImageFiles.writePng(gradient(40, 40), dir.resolve("a.png"));
        Path cache = tmp.resolve("cache");
        PairLoader loader = new PairLoader(counting, 4, 1, Optional.of(cache));
        loader.load("hr", DataLayouts.hrFolder(dir), 2);
        Path file;
        try (Stream<Path> files = Files.list(cache)) {
            file = files.findFirst().orElseThrow();
        }
        byte[] bytes = Files.readAllBytes(file);
        bytes[bytes.length / 2] ^= 1;
        Files.write(file, bytes);

        PairSet again = loader.load("hr", DataLayouts.hrFolder(dir), 2);
        assertEquals(2, downscales.get());
        assertEquals(1, again.pairs().size());
    }

    @Test
    void div2kLayoutUsesTheShippedLrImagesAndTheRange() throws IOException {
        Path root = tmp.resolve("DIV2K");
        for (int i = 1; i <= 3; i++) {
            RgbImage hr = gradient(40, 32);
            ImageFiles.writePng(hr, root.resolve("DIV2K_train_HR").resolve(String.format("%04d.png", i)));
            ImageFiles.writePng(MatlabBicubic.downscale(hr, 2),
                    root.resolve("DIV2K_train_LR_bicubic/X2").resolve(String.format("%04dx2.png", i)));
        }
        assertTrue(DataLayouts.isDiv2k(root));
        DataRange range = DataRange.parse("1-2/3-3");
        List<ImageEntry> train = DataLayouts.div2k(root, range.train(), 2);
        assertEquals(List.of("0001", "0002"), train.stream().map(ImageEntry::name).toList());
        assertTrue(train.get(0).lr().isPresent());
        PairSet set = new PairLoader(counting, 4, 1, Optional.empty()).load("div2k", train, 2);
        assertEquals(2, set.pairs().size());
        assertEquals(0, downscales.get(), "LR comes from the DIV2K files");
        IllegalArgumentException missing = assertThrows(IllegalArgumentException.class,
                () -> DataLayouts.div2k(root, ImageRange.parse("2-5"), 2));
        assertTrue(missing.getMessage().contains("[4, 5]"), missing.getMessage());
    }

    @Test
    void nothingUsableIsAnError() throws IOException {
        Path dir = tmp.resolve("bad");
        Files.createDirectories(dir);
        Files.write(dir.resolve("x.png"), new byte[] {9});
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new PairLoader(counting, 4, 1, Optional.empty()).load("bad", DataLayouts.hrFolder(dir), 2));
        assertTrue(e.getMessage().contains("none of the 1 images is usable"), e.getMessage());
    }
}
