package org.oisrstream.model.quality;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.oisrstream.model.image.ImageFiles;
import org.oisrstream.model.image.RgbImage;
import org.oisrstream.model.testing.SharedData;

/**
 * Every LR file of the benchmarks was made by MATLAB's imresize(hr, 1/S, 'bicubic') on the uncropped original; our
 * downscale of the (cropped) HR must give the same bytes wherever the crop cannot have changed the result, i.e. at
 * least 2 LR pixels away from the edge.
 */
class MatlabBicubicBenchmarkTest {

    private static final int EDGE = 2;

    @ParameterizedTest(name = "{0} x{1}")
    @CsvSource({"Set5,2", "Set5,3", "Set5,4", "Set14,2", "Set14,3", "Set14,4", "B100,2", "B100,3", "B100,4"})
    void downscaleOfEveryHrEqualsMatlabLrOnTheInterior(String set, int scale) throws IOException {
        Path dir = SharedData.benchmark(set).resolve("x" + scale);
        List<Path> hrFiles;
        try (Stream<Path> files = Files.list(dir)) {
            hrFiles = files.filter(p -> p.getFileName().toString().endsWith("_HR.png")).sorted().toList();
        }
        assertTrue(hrFiles.size() >= 5, "expected the benchmark's HR files in " + dir);
        // PNG decoding dominates: check the files in parallel.
        hrFiles.parallelStream().forEach(hrFile -> assertInteriorMatches(dir, hrFile, scale));
    }

    private static void assertInteriorMatches(Path dir, Path hrFile, int scale) {
        RgbImage hr;
        RgbImage matlab;
        try {
            hr = ImageFiles.read(hrFile);
            matlab = ImageFiles.read(dir.resolve(hrFile.getFileName().toString().replace("_HR.png", "_LR.png")));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        RgbImage ours = MatlabBicubic.downscale(MatlabBicubic.cropToMultiple(hr, scale), scale);
        assertEquals(matlab.width(), ours.width(), hrFile + ": width");
        assertEquals(matlab.height(), ours.height(), hrFile + ": height");
        for (int y = EDGE; y < ours.height() - EDGE; y++) {
            for (int x = EDGE; x < ours.width() - EDGE; x++) {
                for (int c = 0; c < 3; c++) {
                    if (ours.get(x, y, c) != matlab.get(x, y, c)) {
                        throw new AssertionError(hrFile.getFileName() + ": pixel (" + x + ", " + y + ") channel " + c
                                + " is " + ours.get(x, y, c) + ", MATLAB gave " + matlab.get(x, y, c));
                    }
                }
            }
        }
    }
}
