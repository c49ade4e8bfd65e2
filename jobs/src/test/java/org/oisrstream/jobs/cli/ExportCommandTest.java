package org.oisrstream.jobs.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.oisrstream.model.image.ImageFiles;
import org.oisrstream.model.image.RgbImage;
import org.oisrstream.model.weights.DType;
import org.oisrstream.model.weights.Safetensors;
import org.oisrstream.model.weights.StateDict;

/** From a training run to served weights: oisr train, oisr export, then oisr image --weights with that file. */
class ExportCommandTest {

    @TempDir
    Path tmp;

    private static RgbImage gradient(int width, int height, int shift) {
        byte[] pixels = new byte[width * height * 3];
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] = (byte) ((i * 7 + shift * 13 + (i / (width * 3)) * 5) & 0xff);
        }
        return new RgbImage(width, height, pixels);
    }

    @Test
    void theBestCheckpointExportsWithItsProvenanceAndServesStrictly() throws Exception {
        Path train = tmp.resolve("train");
        Path val = tmp.resolve("val");
        for (int i = 0; i < 2; i++) {
            ImageFiles.writePng(gradient(40, 40, i), train.resolve("t" + i + ".png"));
            ImageFiles.writePng(gradient(32, 32, 10 + i), val.resolve("v" + i + ".png"));
        }
        Path run = tmp.resolve("run");
        CliRun trained = CliRun.run("train", "--model", "lf-s", "--scale", "2", "--data", train.toString(), "--val",
                val.toString(), "--out", run.toString(), "--iterations", "2", "--patch", "8", "--batch", "2",
                "--precision", "fp32", "--threads", "1", "--val-every", "1", "--no-progress", "--no-cache");
        assertEquals(0, trained.exit(), trained.err());

        Path exported = tmp.resolve("lf-s-x2-candidate.safetensors");
        CliRun export = CliRun.run("export", "--run", run.toString(), "--output", exported.toString(), "--dtype", "f16");
        assertEquals(0, export.exit(), export.err());
        StateDict weights = Safetensors.read(exported);
        Map<String, String> meta = weights.metadata();
        assertEquals("lf-s", meta.get("variant"));
        assertEquals("2", meta.get("scale"));
        assertTrue(meta.get("network").contains("x2"), meta.toString());
        assertTrue(meta.get("data").contains(train.toString()), meta.toString());
        assertTrue(meta.get("validation").startsWith("val "), meta.toString());
        assertEquals(meta.get("best_step"), meta.get("step"), "the best checkpoint is exported");
        assertTrue(Double.parseDouble(meta.get("best_psnr")) > 5, meta.toString());
        assertEquals(DType.F16, weights.tensors().get("tail.1.weight").dtype());

        Path lr = tmp.resolve("in.png");
        ImageFiles.writePng(gradient(20, 16, 3), lr);
        Path sr = tmp.resolve("out.png");
        CliRun served = CliRun.run("image", lr.toString(), "--model", "lf-s", "--scale", "2", "--weights",
                exported.toString(), "--device", "cpu", "-o", sr.toString());
        assertEquals(0, served.exit(), served.err());
        RgbImage up = ImageFiles.read(sr);
        assertEquals(40, up.width());
        assertEquals(32, up.height());

        CliRun wrongScale = CliRun.run("image", lr.toString(), "--model", "lf-s", "--scale", "4", "--weights",
                exported.toString(), "--device", "cpu", "-o", tmp.resolve("x4.png").toString());
        assertEquals(2, wrongScale.exit(), "strict loading refuses x2 weights for x4: " + wrongScale.err());

        CliRun noBest = CliRun.run("export", "--run", tmp.resolve("nothing").toString(), "--output",
                tmp.resolve("n.safetensors").toString());
        assertEquals(1, noBest.exit());
        assertTrue(noBest.err().contains("has no best checkpoint"), noBest.err());
    }
}
