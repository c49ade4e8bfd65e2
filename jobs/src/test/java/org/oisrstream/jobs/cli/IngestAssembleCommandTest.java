package org.oisrstream.jobs.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.oisrstream.jobs.kafka.EmbeddedKafka;
import org.oisrstream.jobs.testing.VideoFiles;
import org.oisrstream.operators.media.TestClips;

/** {@code oisr ingest} and {@code oisr assemble} against a real broker (input chunks assemble as they are). */
class IngestAssembleCommandTest {

    @TempDir
    Path tmp;

    private static String[] run(String... args) {
        PrintStream err = System.err;
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try {
            System.setErr(new PrintStream(bytes, true, StandardCharsets.UTF_8));
            int code = OisrCli.execute(args);
            return new String[] {Integer.toString(code), bytes.toString(StandardCharsets.UTF_8)};
        } finally {
            System.setErr(err);
        }
    }

    @Test
    void ingestThenAssembleRestoresTheClip() throws Exception {
        TestClips.Clip clip = TestClips.write(tmp.resolve("clip.mkv"), TestClips.ClipSpec.of(64, 36, 30, 15));
        Path out = tmp.resolve("back.mkv");
        try (EmbeddedKafka kafka = EmbeddedKafka.start(8 << 20, Map.of())) {
            String[] ingest = run("ingest", clip.path().toString(), "--bootstrap-servers", kafka.bootstrapServers(),
                    "--topic", "cli.in", "--stream-id", "cam-1", "--chunk-seconds", "0.5", "--create-topic",
                    "--max-record-bytes", Integer.toString(8 << 20));
            assertEquals("0", ingest[0], ingest[1]);
            assertTrue(ingest[1].contains("ingested " + clip.path() + ": ") && ingest[1].contains(" 30 frames, "),
                    ingest[1]);

            String[] assemble = run("assemble", "--bootstrap-servers", kafka.bootstrapServers(), "--topic", "cli.in",
                    "--stream-id", "cam-1", "--output", out.toString(), "--timeout", "PT30S",
                    "--max-record-bytes", Integer.toString(8 << 20));
            assertEquals("0", assemble[0], assemble[1]);
            assertTrue(assemble[1].contains("wrote " + out + ": ") && assemble[1].contains(" 30 frames, "),
                    assemble[1]);

            String[] other = run("assemble", "--bootstrap-servers", kafka.bootstrapServers(), "--topic", "cli.in",
                    "--stream-id", "nobody", "--output", tmp.resolve("none.mp4").toString(), "--timeout", "PT2S");
            assertEquals("1", other[0], other[1]);
            List<String> lines = other[1].lines().filter(l -> !l.isBlank()).toList();
            assertTrue(lines.get(lines.size() - 1).startsWith("oisr assemble: timed out after 2 s without a new chunk"
                    + " of stream nobody"), other[1]);
        }
        VideoFiles.Decoded in = VideoFiles.decode(clip.path());
        VideoFiles.Decoded back = VideoFiles.decode(out);
        assertEquals(in.frames().size(), back.frames().size());
        assertEquals(in.ptsMicros(), back.ptsMicros());
        assertTrue(back.hasAudio());
        for (int i = 0; i < in.frames().size(); i++) {
            assertEquals(in.frames().get(i), back.frames().get(i), "packet copy keeps frame " + i + " exactly");
        }
    }
}
