package org.oisrstream.operators.media;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

/**
 * The Kafka headers of a chunk record, protocol version {@value #VERSION} (see {@code docs/protocol.md}).
 * Every value is UTF-8 text (decimal numbers, {@code true}/{@code false}), so tools such as kcat show them
 * as they are. The record key is the stream id; the value is the chunk's media bytes.
 *
 * @param streamId       the stream the chunk belongs to (also the record key)
 * @param sequence       0-based, consecutive per stream
 * @param last           the final chunk of the stream
 * @param startPtsMicros presentation time of the first video frame on the stream timeline (starts at 0)
 * @param durationMicros time until the next chunk starts (last chunk: until its last frame ends)
 * @param frameCount     video frames in the chunk
 * @param container      FFmpeg muxer name of the value: {@value VideoSegmenter#CHUNK_FORMAT} for input
 *                       chunks, {@value ChunkTranscoder#OUTPUT_FORMAT} for upscaled ones
 * @param width          video width of this chunk
 * @param height         video height of this chunk
 * @param sourceFrames   estimated frames of the whole source (-1 unknown, e.g. live), for progress bars
 */
public record ChunkMetadata(String streamId, long sequence, boolean last, long startPtsMicros, long durationMicros,
        int frameCount, String container, int width, int height, long sourceFrames) {

    public static final int VERSION = 1;

    public static final String VERSION_HEADER = "oisr.version";
    public static final String STREAM_HEADER = "oisr.stream";
    public static final String SEQUENCE_HEADER = "oisr.seq";
    public static final String LAST_HEADER = "oisr.last";
    public static final String START_HEADER = "oisr.start-us";
    public static final String DURATION_HEADER = "oisr.duration-us";
    public static final String FRAMES_HEADER = "oisr.frames";
    public static final String CONTAINER_HEADER = "oisr.container";
    public static final String WIDTH_HEADER = "oisr.width";
    public static final String HEIGHT_HEADER = "oisr.height";
    public static final String SOURCE_FRAMES_HEADER = "oisr.source-frames";

    public ChunkMetadata {
        Objects.requireNonNull(streamId, "streamId");
        Objects.requireNonNull(container, "container");
        if (streamId.isEmpty()) {
            throw new IllegalArgumentException("stream id must not be empty");
        }
        if (sequence < 0) {
            throw new IllegalArgumentException("sequence must be >= 0, got " + sequence);
        }
    }

    /** Metadata of an input chunk cut by {@link VideoSegmenter} from a source described by {@code source}. */
    public static ChunkMetadata ofInput(String streamId, MediaChunk chunk, SourceInfo source) {
        return new ChunkMetadata(streamId, chunk.sequence(), chunk.last(), chunk.startPtsMicros(),
                chunk.durationMicros(), chunk.frameCount(), VideoSegmenter.CHUNK_FORMAT, source.width(),
                source.height(), source.frameCount());
    }

    /**
     * Metadata of the upscaled chunk made from this input chunk: same stream, sequence, last flag and timing
     * (timing is the input's: the segmenter's view of where the chunk sits), new container and size.
     */
    public ChunkMetadata forOutput(TranscodedChunk output) {
        return new ChunkMetadata(streamId, sequence, last, startPtsMicros, durationMicros, output.frameCount(),
                ChunkTranscoder.OUTPUT_FORMAT, output.width(), output.height(), sourceFrames);
    }

    /** The headers, in a fixed order. */
    public Map<String, byte[]> toHeaders() {
        Map<String, byte[]> h = new LinkedHashMap<>();
        put(h, VERSION_HEADER, Integer.toString(VERSION));
        put(h, STREAM_HEADER, streamId);
        put(h, SEQUENCE_HEADER, Long.toString(sequence));
        put(h, LAST_HEADER, Boolean.toString(last));
        put(h, START_HEADER, Long.toString(startPtsMicros));
        put(h, DURATION_HEADER, Long.toString(durationMicros));
        put(h, FRAMES_HEADER, Integer.toString(frameCount));
        put(h, CONTAINER_HEADER, container);
        put(h, WIDTH_HEADER, Integer.toString(width));
        put(h, HEIGHT_HEADER, Integer.toString(height));
        put(h, SOURCE_FRAMES_HEADER, Long.toString(sourceFrames));
        return h;
    }

    /**
     * Reads the headers through {@code header} (name to value, null if absent), e.g.
     * {@code name -> record.headers().lastHeader(name) == null ? null : record.headers().lastHeader(name).value()}.
     *
     * @throws IllegalArgumentException naming the header, if one is missing or malformed or the version is not
     *                                  {@value #VERSION}
     */
    public static ChunkMetadata fromHeaders(Function<String, byte[]> header) {
        int version = (int) number(header, VERSION_HEADER);
        if (version != VERSION) {
            throw new IllegalArgumentException("chunk protocol version " + version + " is not supported (this build reads "
                    + VERSION + ")");
        }
        String last = text(header, LAST_HEADER);
        if (!last.equals("true") && !last.equals("false")) {
            throw new IllegalArgumentException("chunk header " + LAST_HEADER + " must be true or false, got '" + last + "'");
        }
        return new ChunkMetadata(text(header, STREAM_HEADER), number(header, SEQUENCE_HEADER), last.equals("true"),
                number(header, START_HEADER), number(header, DURATION_HEADER), (int) number(header, FRAMES_HEADER),
                text(header, CONTAINER_HEADER), (int) number(header, WIDTH_HEADER), (int) number(header, HEIGHT_HEADER),
                number(header, SOURCE_FRAMES_HEADER));
    }

    private static void put(Map<String, byte[]> h, String name, String value) {
        h.put(name, value.getBytes(StandardCharsets.UTF_8));
    }

    private static String text(Function<String, byte[]> header, String name) {
        byte[] value = header.apply(name);
        if (value == null) {
            throw new IllegalArgumentException("chunk header " + name + " is missing");
        }
        return new String(value, StandardCharsets.UTF_8);
    }

    private static long number(Function<String, byte[]> header, String name) {
        String value = text(header, name);
        try {
            return Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("chunk header " + name + " must be a decimal number, got '" + value + "'");
        }
    }
}
