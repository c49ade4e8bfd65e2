package org.oisrstream.jobs.live;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.oisrstream.model.util.AtomicFiles;
import org.oisrstream.operators.kafka.ChunkRecord;
import org.oisrstream.operators.media.MediaException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HLS folder of one run, as {@link LiveServer} serves it and the viewer page expects it:
 * <pre>
 *   DIR/source/index.m3u8     the ingested chunks, remuxed to MPEG-TS (the "before")
 *   DIR/upscaled/index.m3u8   the upscaled chunks as they commit (the "after")
 *   DIR/status.json           model, scale, frames/s, latency ({@link LiveStatus})
 * </pre>
 * Both playlists close ({@code #EXT-X-ENDLIST}) with the stream's last chunk, or on {@link #close()} when the
 * run ends otherwise. Thread-safe: source and upscaled chunks may come from different threads.
 */
public final class LiveHlsOutput implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(LiveHlsOutput.class);

    public static final String SOURCE = "source";
    public static final String UPSCALED = "upscaled";
    public static final String STATUS = "status.json";

    private final Path root;
    private final String model;
    private volatile int scale;
    private volatile int sourceWidth;
    private final HlsStreamWriter source;
    private final HlsStreamWriter upscaled;
    /** When each chunk of the source was cut (ms), to tell the latency of its upscaled segment. */
    private final Map<Long, Long> cutAtMillis = new ConcurrentHashMap<>();
    private volatile long firstUpscaledMillis = -1;
    private volatile long upscaledFrames;
    private volatile double latencySeconds = -1;
    private volatile boolean sourceUnplayable;

    /**
     * @param root         the folder (created if missing)
     * @param model        the network's name, for the page
     * @param scale        the upscaling factor, for the page; 0 to tell it from the chunks' widths
     * @param chunkSeconds nominal chunk length (the playlists' first target duration)
     */
    public LiveHlsOutput(Path root, String model, int scale, double chunkSeconds) {
        this.root = root;
        this.model = model;
        this.scale = scale;
        this.source = HlsStreamWriter.source(new HlsPlaylistWriter(root.resolve(SOURCE), chunkSeconds), s -> writeStatus());
        this.upscaled = HlsStreamWriter.upscaled(new HlsPlaylistWriter(root.resolve(UPSCALED), chunkSeconds),
                this::upscaledListed);
        writeStatus();
    }

    public Path root() {
        return root;
    }

    /** An input chunk as it was ingested. */
    public void sourceChunk(ChunkRecord chunk) {
        cutAtMillis.putIfAbsent(chunk.sequence(), System.currentTimeMillis());
        sourceWidth = chunk.metadata().width();
        if (sourceUnplayable) {
            return;
        }
        try {
            source.accept(chunk);
        } catch (MediaException e) {
            // The "before" side is for watching only: a source HLS cannot carry (e.g. VP9 video) must not stop
            // the upscale. Its playlist ends where it is.
            sourceUnplayable = true;
            LOG.warn("the source cannot be shown as HLS, its playlist ends here: {}", e.getMessage());
            source.close();
        }
    }

    /** An output chunk as it committed. */
    public void upscaledChunk(ChunkRecord chunk) {
        if (scale <= 0 && sourceWidth > 0) {
            scale = chunk.metadata().width() / sourceWidth;
        }
        upscaled.accept(chunk);
    }

    public List<HlsSegment> sourceSegments() {
        return source.playlist().segments();
    }

    public List<HlsSegment> upscaledSegments() {
        return upscaled.playlist().segments();
    }

    private void upscaledListed(HlsSegment segment) {
        long now = segment.playableAtMillis();
        if (firstUpscaledMillis < 0) {
            firstUpscaledMillis = now;
        }
        upscaledFrames += segment.frames();
        Long cut = cutAtMillis.remove(segment.sequence());
        if (cut != null) {
            latencySeconds = (now - cut) / 1e3;
        }
        writeStatus();
    }

    public LiveStatus status() {
        long elapsed = firstUpscaledMillis < 0 ? 0 : System.currentTimeMillis() - firstUpscaledMillis;
        return new LiveStatus(model, scale, elapsed > 0 ? upscaledFrames * 1e3 / elapsed : 0, latencySeconds,
                source.playlist().segments().size(), upscaled.playlist().segments().size(), upscaled.playlist().ended());
    }

    private synchronized void writeStatus() {
        try {
            Files.createDirectories(root);
            AtomicFiles.write(root.resolve(STATUS), status().toJson().getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + root.resolve(STATUS) + ": " + e.getMessage(), e);
        }
    }

    /** Closes both playlists where they are. */
    @Override
    public void close() {
        source.close();
        upscaled.close();
        writeStatus();
    }
}
