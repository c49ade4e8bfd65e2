package org.oisrstream.jobs.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The live options' mistakes end with one line and a non-zero exit, before anything starts. */
class LiveOptionsCommandTest {

    @TempDir
    Path dir;

    @Test
    void misusedLiveOptionsFailWithOneLine() {
        CliRun serveWithoutHls = CliRun.run("upscale", "udp://127.0.0.1:1", dir.resolve("o.mp4").toString(),
                "--model", "nearest", "--serve", "0");
        assertTrue(serveWithoutHls.exit() != 0);
        assertTrue(firstLine(serveWithoutHls.err()).startsWith("oisr upscale: --serve needs --hls DIR (the folder to serve)"), serveWithoutHls.err());

        CliRun badTimeout = CliRun.run("upscale", "udp://127.0.0.1:1", dir.resolve("o.mp4").toString(),
                "--model", "nearest", "--source-timeout", "PT0S");
        assertTrue(badTimeout.exit() != 0);
        assertTrue(firstLine(badTimeout.err()).startsWith("oisr upscale: --source-timeout must be positive"), badTimeout.err());

        CliRun assemble = CliRun.run("assemble", "--bootstrap-servers", "127.0.0.1:1", "--topic", "t",
                "--stream-id", "s", "--output", dir.resolve("o.mp4").toString(), "--serve", "0");
        assertTrue(assemble.exit() != 0);
        assertTrue(firstLine(assemble.err()).startsWith("oisr assemble: --serve and --source-topic need --hls DIR"), assemble.err());

        CliRun serve = CliRun.run("serve", dir.resolve("missing").toString(), "--port", "0");
        assertTrue(serve.exit() != 0);
        assertTrue(firstLine(serve.err()).startsWith("oisr serve: folder " + dir.resolve("missing") + " does not exist"), serve.err());
    }

    /** The whole message, which must be one line. */
    private static String firstLine(String text) {
        assertEquals(1, text.strip().lines().count(), text);
        return text.strip();
    }
}
