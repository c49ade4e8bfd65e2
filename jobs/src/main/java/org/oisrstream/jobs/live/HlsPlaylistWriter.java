package org.oisrstream.jobs.live;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.oisrstream.model.util.AtomicFiles;
import org.oisrstream.operators.media.ChunkMetadata;

/**
 * Keeps an HLS EVENT media playlist ({@value #PLAYLIST}) and its MPEG-TS segments in a folder up to date as
 * chunks arrive in sequence order: each segment is written whole (temporary name, then rename) before the
 * playlist that lists it, and the playlist itself is replaced atomically, so a player never fetches a half
 * file or a segment that is not there yet.
 *
 * <p>{@code #EXTINF} comes from the chunk header {@code oisr.duration-us}. A chunk whose start does not
 * continue the previous chunk's end (a gap in sequence or timing, e.g. a live source that restarted) gets
 * {@code #EXT-X-DISCONTINUITY}. {@code #EXT-X-TARGETDURATION} is the chunk length rounded up; since chunks
 * end at keyframes they can be longer, and the target then grows to the longest segment seen.
 */
public final class HlsPlaylistWriter {

    public static final String PLAYLIST = "index.m3u8";
    /** Timing slack before two chunks count as not continuous (Matroska stores milliseconds). */
    static final long CONTINUITY_TOLERANCE_MICROS = 1_000;

    private final Path dir;
    private final List<HlsSegment> segments = new ArrayList<>();
    private long targetSeconds;
    private boolean ended;

    /**
     * @param dir          the folder (created if missing); existing segments and playlist there are replaced
     * @param chunkSeconds the nominal chunk length, the first {@code #EXT-X-TARGETDURATION}
     */
    public HlsPlaylistWriter(Path dir, double chunkSeconds) {
        this.dir = dir;
        this.targetSeconds = Math.max(1, (long) Math.ceil(chunkSeconds));
        try {
            Files.createDirectories(dir);
            write();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write an HLS playlist in " + dir + ": " + e.getMessage(), e);
        }
    }

    public Path dir() {
        return dir;
    }

    public Path playlist() {
        return dir.resolve(PLAYLIST);
    }

    /** Writes {@code segment} (MPEG-TS bytes of the chunk {@code chunk} describes) and lists it. */
    public synchronized HlsSegment append(ChunkMetadata chunk, byte[] segment) {
        if (ended) {
            throw new IllegalStateException("the playlist in " + dir + " has ended");
        }
        HlsSegment previous = segments.isEmpty() ? null : segments.get(segments.size() - 1);
        boolean discontinuity = previous != null && (chunk.sequence() != previous.sequence() + 1
                || Math.abs(chunk.startPtsMicros() - previous.endMicros()) > CONTINUITY_TOLERANCE_MICROS);
        String uri = String.format(Locale.ROOT, "seg-%06d.ts", chunk.sequence());
        try {
            AtomicFiles.write(dir.resolve(uri), segment);
            targetSeconds = Math.max(targetSeconds, Math.round(chunk.durationMicros() / 1e6));
            segments.add(new HlsSegment(chunk.sequence(), uri, chunk.startPtsMicros(), chunk.durationMicros(),
                    chunk.frameCount(), discontinuity, 0));
            write();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write HLS segment " + uri + " in " + dir + ": " + e.getMessage(), e);
        }
        HlsSegment listed = new HlsSegment(chunk.sequence(), uri, chunk.startPtsMicros(), chunk.durationMicros(),
                chunk.frameCount(), discontinuity, System.currentTimeMillis());
        segments.set(segments.size() - 1, listed);
        return listed;
    }

    /** Closes the playlist ({@code #EXT-X-ENDLIST}): players stop waiting for more. Idempotent. */
    public synchronized void end() {
        if (ended) {
            return;
        }
        ended = true;
        try {
            write();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot close the HLS playlist in " + dir + ": " + e.getMessage(), e);
        }
    }

    public synchronized boolean ended() {
        return ended;
    }

    public synchronized List<HlsSegment> segments() {
        return List.copyOf(segments);
    }

    private void write() throws IOException {
        AtomicFiles.write(playlist(), text(segments, targetSeconds, ended).getBytes(StandardCharsets.UTF_8));
    }

    /** The playlist for these segments. */
    static String text(List<HlsSegment> segments, long targetSeconds, boolean ended) {
        StringBuilder m3u8 = new StringBuilder(256 + 48 * segments.size());
        m3u8.append("#EXTM3U\n#EXT-X-VERSION:3\n#EXT-X-PLAYLIST-TYPE:EVENT\n")
                .append("#EXT-X-TARGETDURATION:").append(targetSeconds).append('\n')
                .append("#EXT-X-MEDIA-SEQUENCE:0\n#EXT-X-INDEPENDENT-SEGMENTS\n");
        for (HlsSegment s : segments) {
            if (s.discontinuity()) {
                m3u8.append("#EXT-X-DISCONTINUITY\n");
            }
            m3u8.append(String.format(Locale.ROOT, "#EXTINF:%.6f,\n", s.durationMicros() / 1e6)).append(s.uri()).append('\n');
        }
        if (ended) {
            m3u8.append("#EXT-X-ENDLIST\n");
        }
        return m3u8.toString();
    }
}
