package org.oisrstream.jobs.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.oisrstream.jobs.cli.CliRun.run;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.bytedeco.pytorch.global.torch;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.oisrstream.model.image.ImageFiles;
import org.oisrstream.model.image.RgbImage;
import org.oisrstream.model.infer.NearestNeighbourUpscaler;
import org.oisrstream.model.quality.MatlabBicubic;
import org.oisrstream.model.net.ModelSpec;
import org.oisrstream.model.net.OisrNet;
import org.oisrstream.model.weights.DType;
import org.oisrstream.model.weights.WeightsFiles;

/** oisr info, image and bench: outputs and one-line errors with the right exit codes. */
class ModelCommandsTest {

    @TempDir
    static Path dir;
    static Path weights;
    static Path png;

    @BeforeAll
    static void weightsAndImage() throws Exception {
        torch.manual_seed(5);
        try (OisrNet net = new OisrNet(ModelSpec.of("lf-s", 2))) {
            weights = dir.resolve("lf-s-x2.safetensors");
            WeightsFiles.write(net.stateDict(), weights, DType.F32);
        }
        byte[] pixels = new byte[10 * 8 * 3];
        new Random(1).nextBytes(pixels);
        png = dir.resolve("in.png");
        ImageFiles.writePng(new RgbImage(10, 8, pixels), png);
    }

    @Test
    void infoPrintsThePaperNumbers() {
        CliRun r = run("info");
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.out().matches("(?s).*lf-s\\s+LF\\s+8\\s+64\\s+x4\\s+1,519,675\\s+114\\.2\\n.*"), r.out());
        assertTrue(r.out().matches("(?s).*rk3\\s+RK3\\s+22\\s+256\\s+x2\\s+41,926,793\\s+9656\\.5\\n.*"), r.out());
        assertEquals(17, r.out().lines().count(), "header, 15 networks and the baselines");
        assertTrue(r.out().contains("nearest, bicubic: CPU baselines"), r.out());
    }

    @Test
    void imageUpscalesWithGivenWeights() throws Exception {
        Path out = dir.resolve("out/x2.png");
        CliRun r = run("image", png.toString(), "--model", "lf-s", "--scale", "2", "--weights", weights.toString(),
                "--device", "cpu", "--output", out.toString());
        assertEquals(0, r.exit(), r.err());
        RgbImage result = ImageFiles.read(out);
        assertEquals(20, result.width());
        assertEquals(16, result.height());
    }

    @Test
    void severalInputsGoToAFolder() throws Exception {
        Path second = dir.resolve("second.png");
        Files.copy(png, second, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        Path folder = dir.resolve("many");
        CliRun r = run("image", png.toString(), second.toString(), "-s", "2", "-w", weights.toString(), "--device",
                "cpu", "--tile", "8", "-o", folder.toString());
        assertEquals(0, r.exit(), r.err());
        assertTrue(Files.isRegularFile(folder.resolve("in.png")));
        assertTrue(Files.isRegularFile(folder.resolve("second.png")));
    }

    private static void assertOneLineError(CliRun r, int exit, String fragment) {
        assertEquals(exit, r.exit(), r.out() + r.err());
        String err = r.err().strip();
        assertEquals(1, err.lines().count(), err);
        assertTrue(err.contains(fragment), err);
    }

    @Test
    void badArgumentsGiveOneLineErrors() {
        assertOneLineError(run("image", png.toString(), "--model", "edsr", "-o", "x.png"), 2, "unknown model 'edsr'");
        assertOneLineError(run("image", png.toString(), "--scale", "5", "-o", "x.png"), 2, "unsupported scale 5");
        assertOneLineError(run("image", dir.resolve("nope.png").toString(), "-o", "x.png"), 2, "no such input file");
        assertOneLineError(run("image", png.toString(), "-o", dir.resolve("x.jpg").toString(), "-w", weights.toString()),
                2, "--output must be a .png file or a folder");
        assertOneLineError(run("image", png.toString(), "--precision", "fp8", "-o", "x.png", "-w", weights.toString()),
                2, "unknown precision 'fp8'");
        assertOneLineError(run("bench", "--size", "320by180"), 2, "--size must be WIDTHxHEIGHT");
        assertOneLineError(run("bench", "--model", "lf-s", "--scale", "3", "--device", "tpu"), 2, "unknown device 'tpu'");
    }

    @Test
    void refusesToRunWithoutWeights() {
        assertOneLineError(run("image", png.toString(), "-m", "rk3", "-s", "3", "-o", dir.resolve("y.png").toString()),
                2, "no trained weights ship for rk3 x3 yet; pass --weights FILE");
    }

    @Test
    void imageRunsTheJavaBaselinesOfTheRegistry() throws Exception {
        RgbImage in = ImageFiles.read(png);
        Path bicubic = dir.resolve("bicubic.png");
        CliRun r = run("image", png.toString(), "--model", "bicubic", "--scale", "3", "-o", bicubic.toString());
        assertEquals(0, r.exit(), r.err());
        assertEquals(MatlabBicubic.upscale(in, 3), ImageFiles.read(bicubic));
        assertTrue(r.out().contains("with bicubic x3"), r.out());

        Path nearest = dir.resolve("nearest.png");
        r = run("image", png.toString(), "-m", "nearest", "-s", "2", "--precision", "fp32", "-o", nearest.toString());
        assertEquals(0, r.exit(), r.err());
        assertEquals(new NearestNeighbourUpscaler(2).upscale(in), ImageFiles.read(nearest));
        assertEquals("oisr image: --precision ignored for --model nearest", r.err().strip());
    }

    @Test
    void benchNeedsANetwork() {
        assertOneLineError(run("bench", "--model", "bicubic", "--size", "16x12"), 2,
                "oisr bench needs a network, not bicubic");
    }

    @Test
    void weightsForAnotherScaleAreRefused() {
        assertOneLineError(run("image", png.toString(), "-s", "4", "-w", weights.toString(), "--device", "cpu",
                "-o", dir.resolve("z.png").toString()), 2, "weights are for lf-s x2, model is lf-s x4");
    }

    @Test
    void fp16OnTheCpuIsRefused() {
        assertOneLineError(run("image", png.toString(), "-s", "2", "-w", weights.toString(), "--device", "cpu",
                "--precision", "fp16", "-o", dir.resolve("h.png").toString()), 2, "fp16 needs a CUDA device");
    }

    @Test
    void benchRunsAndReportsRates() {
        CliRun r = run("bench", "--model", "lf-s", "--scale", "2", "--size", "16x12", "--iterations", "1", "--warmup", "0",
                "--device", "cpu");
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.out().contains("frames/s"), r.out());
        assertTrue(r.out().matches("(?s).*to Y'CbCr 4:2:0: +[0-9.]+ s/pass +[0-9.]+ frames/s.*"), r.out());
        assertTrue(r.out().matches("(?s).*64->64 3x3 conv nchw:.*GFLOP/s.*channels-last:.*GFLOP/s.*"), r.out());
    }
}
