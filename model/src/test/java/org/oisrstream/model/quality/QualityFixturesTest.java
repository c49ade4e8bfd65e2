package org.oisrstream.model.quality;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.oisrstream.model.image.ImageFiles;
import org.oisrstream.model.image.RgbImage;

/**
 * Compares against values computed independently in Python (model/src/test/python/make_quality_fixtures.py: a port
 * of ssim_index.m with scipy.signal.correlate2d, rgb2ycbcr's Y, and MATLAB's imresize): small RGB, odd-sized and
 * grayscale images, several shaves.
 */
class QualityFixturesTest {

    private static final double TOLERANCE = 1e-9;

    @TestFactory
    Stream<DynamicTest> metricsMatchThePythonReference() throws IOException {
        List<DynamicTest> tests = new ArrayList<>();
        for (JsonNode c : fixtures().get("metrics")) {
            String ref = c.get("reference").asText();
            String dist = c.get("distorted").asText();
            tests.add(DynamicTest.dynamicTest(dist + " PSNR on RGB", () ->
                    assertEquals(c.get("psnrRgb").asDouble(), QualityMetrics.psnrRgb(image(dist), image(ref)), TOLERANCE)));
            for (JsonNode s : c.get("byShave")) {
                int shave = s.get("shave").asInt();
                tests.add(DynamicTest.dynamicTest(dist + " shave " + shave, () -> {
                    RgbImage sr = image(dist);
                    RgbImage hr = image(ref);
                    assertEquals(s.get("psnrY").asDouble(), QualityMetrics.psnrY(sr, hr, shave), TOLERANCE, "PSNR Y");
                    assertEquals(s.get("ssimY").asDouble(), QualityMetrics.ssimY(sr, hr, shave), TOLERANCE, "SSIM Y");
                    Quality both = QualityMetrics.qualityY(sr, hr, shave);
                    assertEquals(s.get("psnrY").asDouble(), both.psnr(), TOLERANCE);
                    assertEquals(s.get("ssimY").asDouble(), both.ssim(), TOLERANCE);
                }));
            }
        }
        return tests.stream();
    }

    @TestFactory
    Stream<DynamicTest> resizeMatchesThePythonPortOfImresize() throws IOException {
        List<DynamicTest> tests = new ArrayList<>();
        for (JsonNode c : fixtures().get("resize")) {
            String source = c.get("source").asText();
            int factor = c.get("factor").asInt();
            boolean down = c.get("direction").asText().equals("down");
            String expected = c.get("expected").asText();
            tests.add(DynamicTest.dynamicTest(expected, () -> {
                RgbImage in = image(source);
                RgbImage out = down ? MatlabBicubic.downscale(in, factor) : MatlabBicubic.upscale(in, factor);
                assertEquals(image(expected), out);
            }));
        }
        return tests.stream();
    }

    private static JsonNode fixtures() throws IOException {
        try (InputStream in = QualityFixturesTest.class.getResourceAsStream("/quality/fixtures.json")) {
            return new ObjectMapper().readTree(in);
        }
    }

    static RgbImage image(String name) throws IOException {
        try {
            return ImageFiles.read(Path.of(QualityFixturesTest.class.getResource("/quality/" + name).toURI()));
        } catch (java.net.URISyntaxException e) {
            throw new IOException(e);
        }
    }
}
