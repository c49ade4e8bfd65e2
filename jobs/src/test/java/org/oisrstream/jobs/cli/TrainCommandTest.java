package org.oisrstream.jobs.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrainCommandTest {

    @TempDir
    Path tmp;

    private record Result(int code, String err) {
    }

    private static Result run(String... args) {
        PrintStream original = System.err;
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        try {
            int code = OisrCli.execute(args);
            return new Result(code, err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setErr(original);
        }
    }

    @Test
    void badArgumentsExitWithTwoAndOneLine() {
        // --scale has the default every command shares (4); --out has none.
        Result noOut = run("train", "--data", tmp.toString());
        assertEquals(2, noOut.code());
        assertTrue(noOut.err().contains("--out"), noOut.err());

        Result badPrecision = run("train", "--scale", "2", "--data", tmp.toString(), "--out",
                tmp.resolve("run").toString(), "--precision", "int8");
        assertEquals(2, badPrecision.code());
        assertTrue(badPrecision.err().contains("unknown precision 'int8'"), badPrecision.err());

        Result badModel = run("train", "--model", "srcnn", "--scale", "2", "--data", tmp.toString(), "--out",
                tmp.resolve("run").toString());
        assertEquals(2, badModel.code());
        assertTrue(badModel.err().contains("unknown model 'srcnn'"), badModel.err());

        Result baseline = run("train", "--model", "bicubic", "--scale", "2", "--data", tmp.toString(), "--out",
                tmp.resolve("run").toString());
        assertEquals(2, baseline.code());
        assertTrue(baseline.err().contains("oisr train trains a network, not bicubic"), baseline.err());
    }

    @Test
    void aMissingDataFolderIsAOneLineErrorWithExitOne() {
        Result missing = run("train", "--scale", "2", "--data", tmp.resolve("nope").toString(), "--out",
                tmp.resolve("run").toString(), "--no-progress");
        assertEquals(1, missing.code());
        assertTrue(missing.err().startsWith("oisr train: ") && missing.err().contains("is not a directory"),
                missing.err());
        assertEquals(1, missing.err().strip().lines().count(), missing.err());
    }

    @Test
    void resumeWithoutARunSaysSo() {
        Result r = run("train", "--scale", "2", "--data", tmp.toString(), "--out", tmp.resolve("run").toString(),
                "--resume", "--no-progress");
        assertEquals(1, r.code());
        assertTrue(r.err().contains("nothing to resume"), r.err());
    }
}
