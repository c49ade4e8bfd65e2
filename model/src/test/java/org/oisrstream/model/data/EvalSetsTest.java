package org.oisrstream.model.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.oisrstream.model.image.ImageFiles;
import org.oisrstream.model.image.RgbImage;
import org.oisrstream.model.quality.MatlabBicubic;
import org.oisrstream.model.testing.SharedData;

class EvalSetsTest {

    @TempDir
    Path tmp;

    @Test
    void benchmarkPairsAreFoundFromTheSetFolderOrItsScaleFolder() throws IOException {
        Path set5 = SharedData.benchmark("Set5");
        EvalSet fromSet = EvalSets.open(set5, 4);
        EvalSet fromScale = EvalSets.open(set5.resolve("x4"), 4);
        for (EvalSet set : List.of(fromSet, fromScale)) {
            assertEquals("Set5", set.name());
            assertEquals(5, set.size());
            assertEquals("img_001", set.entries().get(0).name());
        }
        EvalPair first = fromSet.entries().get(0).load();
        assertEquals(first.hr().width(), first.lr().width() * 4);
        assertEquals(14, EvalSets.open(SharedData.benchmark("Set14"), 3).size());
        assertEquals(100, EvalSets.open(SharedData.benchmark("B100"), 2).size());
    }

    @Test
    void pairLayoutNamesImagesWithoutTheSuffixes() throws IOException {
        Path dir = Files.createDirectories(tmp.resolve("Mine/x2"));
        write(dir.resolve("img_007_SRF_2_HR.png"), rgb(20, 14, 1));
        write(dir.resolve("img_007_SRF_2_LR.png"), rgb(10, 7, 2));
        write(dir.resolve("bird_HR.png"), rgb(20, 14, 3));
        write(dir.resolve("bird_LR.png"), rgb(10, 7, 4));
        EvalSet set = EvalSets.open(tmp.resolve("Mine"), 2);
        assertEquals("Mine", set.name());
        assertEquals(List.of("bird", "img_007"), set.entries().stream().map(EvalEntry::name).toList());
        assertEquals(rgb(10, 7, 4), set.entries().get(0).load().lr());
    }

    @Test
    void edsrLayoutPairsHrWithLrBicubic() throws IOException {
        Path root = tmp.resolve("Urban");
        write(root.resolve("HR/img004.png"), rgb(24, 12, 1));
        write(root.resolve("LR_bicubic/X3/img004x3.png"), rgb(8, 4, 2));
        EvalSet set = EvalSets.open(root, 3);
        assertEquals("Urban", set.name());
        EvalPair pair = set.entries().get(0).load();
        assertEquals("img004", pair.name());
        assertEquals(rgb(8, 4, 2), pair.lr());
        assertEquals(rgb(24, 12, 1), pair.hr());
    }

    @Test
    void plainHrFolderGetsCroppedHrAndBicubicLr() throws IOException {
        Path root = Files.createDirectories(tmp.resolve("photos"));
        RgbImage big = rgb(37, 23, 5);
        write(root.resolve("a.png"), big);
        EvalSet set = EvalSets.open(root, 3);
        EvalPair pair = set.entries().get(0).load();
        assertEquals("a", pair.name());
        assertEquals(big.crop(0, 0, 36, 21), pair.hr());
        assertEquals(MatlabBicubic.downscale(big.crop(0, 0, 36, 21), 3), pair.lr());
    }

    @Test
    void grayFilesAreExpandedToRgb() throws IOException {
        Path root = Files.createDirectories(tmp.resolve("gray"));
        BufferedImage gray = new BufferedImage(12, 12, BufferedImage.TYPE_BYTE_GRAY);
        gray.getRaster().setSample(3, 4, 0, 200);
        ImageIO.write(gray, "png", root.resolve("g.png").toFile());
        EvalPair pair = EvalSets.open(root, 2).entries().get(0).load();
        assertEquals(200, pair.hr().get(3, 4, 0));
        assertEquals(200, pair.hr().get(3, 4, 1));
        assertEquals(200, pair.hr().get(3, 4, 2));
    }

    @Test
    void problemsAreReportedWithTheFileName() throws IOException {
        Path pairs = Files.createDirectories(tmp.resolve("Broken/x2"));
        write(pairs.resolve("a_HR.png"), rgb(20, 14, 1));
        IOException missing = assertThrows(IOException.class, () -> EvalSets.open(tmp.resolve("Broken"), 2));
        assertTrue(missing.getMessage().contains("a_LR.png"), missing.getMessage());

        Files.writeString(pairs.resolve("a_LR.png"), "not a png");
        EvalSet set = EvalSets.open(pairs, 2);
        IOException unreadable = assertThrows(IOException.class, () -> set.entries().get(0).load());
        assertTrue(unreadable.getMessage().contains("a_LR.png"), unreadable.getMessage());

        write(pairs.resolve("a_LR.png"), rgb(7, 7, 1));
        IOException wrongScale = assertThrows(IOException.class, () -> EvalSets.open(pairs, 2).entries().get(0).load());
        assertTrue(wrongScale.getMessage().contains("not an x2 pair"), wrongScale.getMessage());

        IOException noScale = assertThrows(IOException.class, () -> EvalSets.open(tmp.resolve("Broken"), 4));
        assertTrue(noScale.getMessage().contains("no x4"), noScale.getMessage());

        Path empty = Files.createDirectories(tmp.resolve("empty"));
        IOException nothing = assertThrows(IOException.class, () -> EvalSets.open(empty, 2));
        assertTrue(nothing.getMessage().contains("no evaluation images"), nothing.getMessage());
        assertThrows(IOException.class, () -> EvalSets.open(tmp.resolve("absent"), 2));
    }

    @Test
    void preloadKeepsTheImagesInMemory() throws IOException {
        Path root = Files.createDirectories(tmp.resolve("pre"));
        write(root.resolve("a.png"), rgb(8, 8, 1));
        EvalSet loaded = EvalSets.open(root, 2).preload();
        Files.delete(root.resolve("a.png"));
        assertEquals(rgb(8, 8, 1), loaded.entries().get(0).load().hr());
    }

    private static void write(Path file, RgbImage image) throws IOException {
        ImageFiles.writePng(image, file);
    }

    private static RgbImage rgb(int w, int h, long seed) {
        byte[] p = new byte[w * h * 3];
        new Random(seed).nextBytes(p);
        return new RgbImage(w, h, p);
    }
}
