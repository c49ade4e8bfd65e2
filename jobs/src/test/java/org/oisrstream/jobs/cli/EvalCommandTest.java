package org.oisrstream.jobs.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;
import static org.oisrstream.jobs.cli.CliRun.run;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.oisrstream.model.data.EvalPair;
import org.oisrstream.model.data.EvalSets;
import org.oisrstream.model.eval.Evaluator;
import org.oisrstream.model.eval.SetResult;
import org.oisrstream.model.infer.OisrUpscaler;
import org.oisrstream.model.net.ModelSpec;
import org.oisrstream.model.net.OisrNet;
import org.oisrstream.model.weights.DType;
import org.oisrstream.model.weights.StateDict;
import org.oisrstream.model.weights.WeightsFiles;
import org.oisrstream.model.data.LrPairs;
import org.oisrstream.model.image.ImageFiles;
import org.oisrstream.model.image.RgbImage;
import org.oisrstream.model.infer.ComputeDevice;
import org.oisrstream.model.infer.CpuFeatures;
import org.oisrstream.model.infer.Precision;
import org.oisrstream.model.quality.MatlabBicubic;
import org.oisrstream.model.quality.QualityMetrics;

class EvalCommandTest {

    @TempDir
    Path tmp;

    @Test
    void bicubicOnAFolderOfHrImagesWritesTableJsonResultsAndFigures() throws IOException {
        Path data = Files.createDirectories(tmp.resolve("photos"));
        RgbImage hr = smooth(70, 50);
        ImageFiles.writePng(hr, data.resolve("p1.png"));
        Path json = tmp.resolve("out/results.json");
        CliRun run = run("eval", "--model", "bicubic", "--scale", "2", "--data", data.toString(),
                "--json", json.toString(), "--save-results", tmp.resolve("sr").toString(),
                "--compare", tmp.resolve("cmp").toString());
        assertEquals(0, run.exit(), run.err());

        EvalPair pair = LrPairs.fromHr("p1", hr, 2);
        RgbImage sr = MatlabBicubic.upscale(pair.lr(), 2);
        double psnr = QualityMetrics.psnrY(sr, pair.hr(), 2);
        double ssim = QualityMetrics.ssimY(sr, pair.hr(), 2);
        assertTrue(run.out().contains("| Method | Scale | photos PSNR / SSIM | s / image | Device |"), run.out());
        assertTrue(run.out().contains(String.format(java.util.Locale.ROOT, "| Bicubic | x2 | %.2f / %.4f |", psnr, ssim)),
                run.out());

        JsonNode report = new ObjectMapper().readTree(json.toFile());
        assertEquals("Bicubic", report.get("method").asText());
        assertTrue(report.get("precision").isNull(), report.toString());
        JsonNode set = report.get("sets").get(0);
        assertEquals(1, set.get("images").asInt());
        assertEquals(psnr, set.get("perImage").get(0).get("psnr").asDouble(), 1e-12);
        assertEquals(ssim, set.get("ssim").asDouble(), 1e-12);

        assertEquals(sr, ImageFiles.read(tmp.resolve("sr/photos/x2/p1_bicubic.png")));
        assertTrue(Files.size(tmp.resolve("cmp/photos/x2/p1_compare_bicubic.png")) > 1000);
    }

    @Test
    void benchmarkSet5BicubicRowAtX4() {
        String shared = System.getProperty("oisr.shared");
        assumeTrue(shared != null && Files.isDirectory(Path.of(shared, "datasets/benchmark/Set5")),
                "no ../shared benchmark sets: skipping");
        CliRun run = run("eval", "--model", "bicubic", "--scale", "4", "--data",
                Path.of(shared, "datasets/benchmark/Set5").toString());
        assertEquals(0, run.exit(), run.err());
        assertTrue(run.out().contains("| Bicubic | x4 | 28.43 / 0.81"), run.out());
    }

    @Test
    void badArgumentsExitWithTwoAndOneLine() {
        CliRun unknown = run("eval", "--model", "srcnn", "--scale", "2", "--data", tmp.toString());
        assertEquals(2, unknown.exit());
        assertTrue(unknown.err().startsWith("oisr eval: unknown model 'srcnn'"), unknown.err());
        assertEquals(1, unknown.err().lines().count(), unknown.err());

        CliRun noData = run("eval", "--model", "bicubic", "--scale", "2", "--data", tmp.resolve("absent").toString());
        assertEquals(2, noData.exit());
        assertTrue(noData.err().contains("no such folder"), noData.err());
    }

    @Test
    void problemsWhileRunningExitWithOneAndOneLine() throws IOException {
        Path empty = Files.createDirectories(tmp.resolve("empty"));
        CliRun nothing = run("eval", "--model", "bicubic", "--scale", "2", "--data", empty.toString());
        assertEquals(1, nothing.exit());
        assertTrue(nothing.err().contains("no evaluation images found"), nothing.err());

        Path data = Files.createDirectories(tmp.resolve("one"));
        ImageFiles.writePng(smooth(24, 24), data.resolve("a.png"));
        CliRun noWeights = run("eval", "--model", "rk3", "--scale", "2", "--data", data.toString());
        assertEquals(2, noWeights.exit());
        assertTrue(noWeights.err().contains("no trained weights ship for rk3 x2"), noWeights.err());

        Path junk = Files.writeString(tmp.resolve("junk.pt"), "not weights");
        CliRun badWeights = run("eval", "--model", "lf-s", "--scale", "2", "--weights", junk.toString(),
                "--data", data.toString());
        assertEquals(1, badWeights.exit());
        assertTrue(badWeights.err().contains("junk.pt"), badWeights.err());
    }

    @Test
    void networkModelsRunThroughTheOisrUpscaler() throws IOException {
        // Random (untrained) lf-s x2 weights: this checks the wiring, not the paper's numbers.
        ModelSpec spec = ModelSpec.of("lf-s", 2);
        StateDict weights;
        try (OisrNet net = new OisrNet(spec)) {
            weights = net.stateDict();
        }
        Path file = tmp.resolve("lf-s-x2-random.safetensors");
        WeightsFiles.write(weights, file, DType.F32);
        Path data = Files.createDirectories(tmp.resolve("net"));
        ImageFiles.writePng(smooth(40, 32), data.resolve("a.png"));

        CliRun run;
        System.setProperty("oisr.debug", "true"); // a failure's stack trace goes into run.err(), shown below
        try {
            run = run("eval", "--model", "lf-s", "--scale", "2", "--weights", file.toString(), "--device", "cpu",
                    "--precision", "fp32", "--data", data.toString(), "--json", tmp.resolve("net.json").toString());
        } finally {
            System.clearProperty("oisr.debug");
        }
        assertEquals(0, run.exit(), run.err());

        SetResult expected;
        try (OisrUpscaler upscaler = OisrUpscaler.builder(spec).weights(weights).device("cpu").build()) {
            expected = Evaluator.evaluate(upscaler, EvalSets.open(data, 2), 2);
        }
        assertTrue(run.out().contains(String.format(java.util.Locale.ROOT, "| OISR-LF-s | x2 | %.2f / %.4f |",
                expected.mean().psnr(), expected.mean().ssim())), run.out());
        assertTrue(run.out().contains("| cpu (fp32) |"), run.out());
        assertTrue(run.out().contains("Precision: fp32."), run.out());
        assertEquals("fp32", new ObjectMapper().readTree(tmp.resolve("net.json").toFile()).get("precision").asText());

        // Without --precision, eval runs auto like every command, and says what auto chose.
        String auto = Precision.forDevice(ComputeDevice.CPU, CpuFeatures.host()).toString();
        CliRun autoRun = run("eval", "--model", "lf-s", "--scale", "2", "--weights", file.toString(), "--device", "cpu",
                "--data", data.toString(), "--json", tmp.resolve("auto.json").toString());
        assertEquals(0, autoRun.exit(), autoRun.err());
        assertTrue(autoRun.out().contains("| cpu (" + auto + ") |"), autoRun.out());
        assertTrue(autoRun.out().contains("Precision: " + auto + " (chosen by --precision auto)"), autoRun.out());
        assertEquals(auto, new ObjectMapper().readTree(tmp.resolve("auto.json").toFile()).get("precision").asText());
    }

    private static RgbImage smooth(int w, int h) {
        byte[] p = new byte[w * h * 3];
        Random random = new Random(5);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                for (int c = 0; c < 3; c++) {
                    p[(y * w + x) * 3 + c] = (byte) (((x * 7 + y * 3 + c * 50) % 200) + random.nextInt(30));
                }
            }
        }
        return new RgbImage(w, h, p);
    }
}
