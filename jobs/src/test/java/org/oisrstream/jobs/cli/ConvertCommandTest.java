package org.oisrstream.jobs.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.oisrstream.jobs.cli.CliRun.run;

import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.oisrstream.model.net.StateDictArchitecture;
import org.oisrstream.model.weights.DType;
import org.oisrstream.model.weights.StateDict;
import org.oisrstream.model.weights.WeightsFiles;

/** Runs {@code oisr convert} through {@link OisrCli#execute} on a legacy torch.save fixture of lf-s x4. */
class ConvertCommandTest {

    @TempDir
    Path dir;

    private static Path fixture() throws URISyntaxException {
        return Path.of(ConvertCommandTest.class.getResource("/weights/lf_s_x4_expanded_legacy.pt").toURI());
    }

    @Test
    void convertsALegacyCheckpointToAnnotatedFp16Safetensors() throws Exception {
        Path output = dir.resolve("lf-s-x4.safetensors");
        CliRun run = run("convert", fixture().toString(), "--model", "lf-s", "--scale", "4", "--output",
                output.toString(), "--dtype", "fp16");

        assertEquals(0, run.exit(), run.err());
        assertEquals("", run.err());
        StateDict converted = WeightsFiles.read(output);
        StateDict source = WeightsFiles.read(fixture());
        assertEquals(output + ": " + source.tensors().size() + " tensors, "
                + String.format(java.util.Locale.ROOT, "%,d", source.parameterCount())
                + " parameters, lf-s x4, fp16 (from pytorch-legacy lf_s_x4_expanded_legacy.pt)\n",
                run.out().replace(System.lineSeparator(), "\n"));
        assertEquals("lf-s x4", StateDictArchitecture.of(converted.shapes()).describe());
        assertEquals("lf-s", converted.metadata().get("variant"));
        assertEquals("4", converted.metadata().get("scale"));
        assertEquals("lf_s_x4_expanded_legacy.pt", converted.metadata().get("source"));
        assertEquals("pytorch-legacy", converted.metadata().get("source_format"));
        for (String key : source.tensors().keySet()) {
            assertEquals(DType.F16, converted.tensors().get(key).dtype(), key);
            assertTrue(source.tensors().get(key).to(DType.F16).contentEquals(converted.tensors().get(key)), key);
        }
    }

    @Test
    void wrongScaleIsAOneLineErrorNamingBothArchitectures() throws Exception {
        Path output = dir.resolve("out.safetensors");
        CliRun run = run("convert", fixture().toString(), "--model", "lf-s", "--scale", "2", "-o", output.toString());
        assertEquals(1, run.exit());
        assertEquals("oisr convert: " + fixture() + ": weights are lf-s x4 but the model is lf-s x2",
                run.err().strip());
        assertFalse(Files.exists(output));
        CliRun variant = run("convert", fixture().toString(), "--model", "rk2-s", "--scale", "4", "-o",
                output.toString());
        assertEquals(1, variant.exit());
        assertTrue(variant.err().contains("weights are lf-s x4 but the model is rk2-s x4"), variant.err());
    }

    @Test
    void missingOrBadInputIsAOneLineErrorWithNonZeroExit() throws Exception {
        Path missing = dir.resolve("missing.pt");
        CliRun run = run("convert", missing.toString(), "--model", "lf-s", "--scale", "4", "-o",
                dir.resolve("o.safetensors").toString());
        assertEquals(1, run.exit());
        assertEquals("oisr convert: " + missing + ": no such file", run.err().strip());

        Path junk = Files.writeString(dir.resolve("junk.pt"), "not weights");
        CliRun bad = run("convert", junk.toString(), "--model", "lf-s", "--scale", "4", "-o",
                dir.resolve("o.safetensors").toString());
        assertEquals(1, bad.exit());
        assertTrue(bad.err().startsWith("oisr convert: " + junk + ": unrecognised format"), bad.err());
        assertEquals(1, bad.err().strip().lines().count());
    }

    @Test
    void badArgumentsExitWithTwo() throws Exception {
        CliRun model = run("convert", fixture().toString(), "--model", "edsr", "--scale", "4", "-o", "x.safetensors");
        assertEquals(2, model.exit());
        assertTrue(model.err().contains("unknown model 'edsr'"), model.err());
        CliRun scale = run("convert", fixture().toString(), "--model", "lf", "--scale", "5", "-o", "x.safetensors");
        assertEquals(2, scale.exit());
        assertTrue(scale.err().contains("unsupported scale 5 (expected 2, 3 or 4)"), scale.err());
        CliRun baseline = run("convert", fixture().toString(), "--model", "bicubic", "-o", "x.safetensors");
        assertEquals(2, baseline.exit());
        assertTrue(baseline.err().contains("oisr convert needs a network, not bicubic"), baseline.err());
        CliRun dtype = run("convert", fixture().toString(), "--model", "lf", "--scale", "4", "-o", "x.safetensors",
                "--dtype", "int8");
        assertEquals(2, dtype.exit());
        CliRun noOutput = run("convert", fixture().toString(), "--model", "lf", "--scale", "4");
        assertEquals(2, noOutput.exit());
        assertTrue(noOutput.err().contains("--output"), noOutput.err());
    }
}
