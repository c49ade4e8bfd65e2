package org.oisrstream.jobs.live;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.oisrstream.operators.kafka.ChunkRecord;
import org.oisrstream.operators.media.ChunkMetadata;

/** The EVENT playlist: order, target duration, discontinuities, end, and no temporary files left behind. */
class HlsPlaylistWriterTest {

    @TempDir
    Path dir;

    private static ChunkRecord chunk(long seq, boolean last, long start, long duration) {
        return ChunkRecord.of(new ChunkMetadata("s", seq, last, start, duration, 20, "mpegts", 64, 36, -1),
                new byte[] {(byte) seq, 1, 2});
    }

    @Test
    void listsChunksInSequenceOrderAndEndsWithTheLastOne() throws Exception {
        HlsPlaylistWriter playlist = new HlsPlaylistWriter(dir.resolve("up"), 2);
        HlsStreamWriter writer = HlsStreamWriter.upscaled(playlist, null);
        assertEquals("#EXTM3U\n#EXT-X-VERSION:3\n#EXT-X-PLAYLIST-TYPE:EVENT\n#EXT-X-TARGETDURATION:2\n"
                + "#EXT-X-MEDIA-SEQUENCE:0\n#EXT-X-INDEPENDENT-SEGMENTS\n", Files.readString(playlist.playlist()));
        writer.accept(chunk(1, false, 2_000_000, 2_000_000));          // early: waits for 0
        assertEquals(List.of(), playlist.segments());
        writer.accept(chunk(0, false, 0, 2_000_000));
        writer.accept(chunk(0, false, 0, 2_000_000));                  // duplicate: dropped
        writer.accept(chunk(2, true, 4_000_000, 2_600_000));           // longer than the target: target grows
        String text = Files.readString(playlist.playlist());
        assertEquals("#EXTM3U\n#EXT-X-VERSION:3\n#EXT-X-PLAYLIST-TYPE:EVENT\n#EXT-X-TARGETDURATION:3\n"
                + "#EXT-X-MEDIA-SEQUENCE:0\n#EXT-X-INDEPENDENT-SEGMENTS\n"
                + "#EXTINF:2.000000,\nseg-000000.ts\n#EXTINF:2.000000,\nseg-000001.ts\n"
                + "#EXTINF:2.600000,\nseg-000002.ts\n#EXT-X-ENDLIST\n", text);
        assertEquals(1, Files.readAllBytes(dir.resolve("up/seg-000001.ts"))[0]);
        try (Stream<Path> files = Files.list(dir.resolve("up"))) {
            assertTrue(files.noneMatch(f -> f.getFileName().toString().startsWith(".")), "temporary files left");
        }
        assertThrows(IllegalStateException.class, () -> playlist.append(chunk(3, false, 0, 1).metadata(), new byte[1]));
    }

    @Test
    void marksAGapInTimingAsADiscontinuityAndCloseEndsAStoppedStream() throws Exception {
        HlsPlaylistWriter playlist = new HlsPlaylistWriter(dir.resolve("up"), 1);
        HlsStreamWriter writer = HlsStreamWriter.upscaled(playlist, null);
        writer.accept(chunk(0, false, 0, 1_000_000));
        writer.accept(chunk(1, false, 1_000_500, 1_000_000));    // within Matroska's 1 ms: continuous
        writer.accept(chunk(2, false, 9_000_000, 1_000_000));    // the source jumped
        writer.close();
        String text = Files.readString(playlist.playlist());
        assertEquals(1, text.split("#EXT-X-DISCONTINUITY", -1).length - 1, text);
        assertTrue(text.contains("#EXT-X-DISCONTINUITY\n#EXTINF:1.000000,\nseg-000002.ts\n#EXT-X-ENDLIST\n"), text);
    }
}
