package org.oisrstream.jobs.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.bytedeco.pytorch.global.torch;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.oisrstream.model.image.ImageFiles;
import org.oisrstream.model.image.RgbImage;
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

    record Run(int exit, String out, String err) {
    }

    static Run run(String... args) {
        PrintStream oldOut = System.out;
        PrintStream oldErr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            int exit = OisrCli.execute(args);
            return new Run(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
    }

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
        Run r = run("info");
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.out().matches("(?s).*lf-s\\s+LF\\s+8\\s+64\\s+x4\\s+1,519,675\\s+114\\.2\\n.*"), r.out());
        assertTrue(r.out().matches("(?s).*rk3\\s+RK3\\s+22\\s+256\\s+x2\\s+41,926,793\\s+9656\\.5\\n.*"), r.out());
        assertEquals(16, r.out().lines().count(), "header and 15 networks");
    }

    @Test
    void imageUpscalesWithGivenWeights() throws Exception {
        Path out = dir.resolve("out/x2.png");
        Run r = run("image", png.toString(), "--model", "lf-s", "--scale", "2", "--weights", weights.toString(),
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
        Run r = run("image", png.toString(), second.toString(), "-s", "2", "-w", weights.toString(), "--device",
                "cpu", "--tile", "8", "-o", folder.toString());
        assertEquals(0, r.exit(), r.err());
        assertTrue(Files.isRegularFile(folder.resolve("in.png")));
        assertTrue(Files.isRegularFile(folder.resolve("second.png")));
    }

    private static void assertOneLineError(Run r, int exit, String fragment) {
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
                1, "no trained weights ship for rk3 x3 yet; pass --weights FILE");
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
        Run r = run("bench", "--model", "lf-s", "--scale", "2", "--size", "16x12", "--iterations", "1", "--warmup", "0",
                "--device", "cpu");
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.out().contains("frames/s"), r.out());
        assertTrue(r.out().matches("(?s).*64->64 3x3 conv nchw:.*GFLOP/s.*channels-last:.*GFLOP/s.*"), r.out());
    }
}
