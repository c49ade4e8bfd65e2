package org.oisrstream.jobs.live;

import java.util.Objects;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.function.Function;
import org.oisrstream.operators.kafka.ChunkRecord;
import org.oisrstream.operators.media.HlsSegmentRemuxer;

/**
 * Feeds the chunks of one stream, in whatever order they arrive, to an {@link HlsPlaylistWriter} in sequence
 * order: a chunk waits until every earlier one is listed, duplicates are dropped, and the chunk flagged last
 * closes the playlist. Input chunks (Matroska) are remuxed to MPEG-TS first ({@link #source}); output chunks
 * already are MPEG-TS segments ({@link #upscaled}).
 */
public final class HlsStreamWriter implements Consumer<ChunkRecord> {

    private final HlsPlaylistWriter playlist;
    private final Function<ChunkRecord, byte[]> toSegment;
    private final Consumer<HlsSegment> onListed;
    private final TreeMap<Long, ChunkRecord> waiting = new TreeMap<>();
    private long next;

    /**
     * @param toSegment turns a chunk into MPEG-TS segment bytes
     * @param onListed  hears of each segment once the playlist lists it (may be null)
     */
    public HlsStreamWriter(HlsPlaylistWriter playlist, Function<ChunkRecord, byte[]> toSegment,
                           Consumer<HlsSegment> onListed) {
        this.playlist = Objects.requireNonNull(playlist, "playlist");
        this.toSegment = Objects.requireNonNull(toSegment, "toSegment");
        this.onListed = onListed == null ? s -> { } : onListed;
    }

    /** For the upscaled stream: output chunks are MPEG-TS already. */
    public static HlsStreamWriter upscaled(HlsPlaylistWriter playlist, Consumer<HlsSegment> onListed) {
        return new HlsStreamWriter(playlist, ChunkRecord::payload, onListed);
    }

    /** For the source stream: input chunks are remuxed from Matroska to MPEG-TS without re-encoding. */
    public static HlsStreamWriter source(HlsPlaylistWriter playlist, Consumer<HlsSegment> onListed) {
        return new HlsStreamWriter(playlist, c -> HlsSegmentRemuxer.toMpegTs(c.payload(),
                "source chunk " + c.sequence() + " of stream '" + c.streamId() + "'"), onListed);
    }

    public HlsPlaylistWriter playlist() {
        return playlist;
    }

    @Override
    public synchronized void accept(ChunkRecord chunk) {
        if (chunk.failed() || chunk.sequence() < next || waiting.containsKey(chunk.sequence()) || playlist.ended()) {
            return;
        }
        waiting.put(chunk.sequence(), chunk);
        while (!waiting.isEmpty() && waiting.firstKey() == next) {
            ChunkRecord ready = waiting.pollFirstEntry().getValue();
            onListed.accept(playlist.append(ready.metadata(), toSegment.apply(ready)));
            next++;
            if (ready.last()) {
                playlist.end();
                waiting.clear();
            }
        }
    }

    /** Ends the playlist where it is (the run stopped or failed): players see a finished stream. */
    public synchronized void close() {
        playlist.end();
    }
}
