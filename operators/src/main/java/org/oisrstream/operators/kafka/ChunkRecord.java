package org.oisrstream.operators.kafka;

import java.util.Objects;

/**
 * One chunk of one video stream as it travels through Kafka: a self-contained media segment (the record value)
 * plus what a consumer needs to order and assemble chunks without opening them (record key and headers, see
 * {@link ChunkHeaders}).
 *
 * @param streamId        which stream the chunk belongs to (the Kafka key, so a stream stays in one partition)
 * @param sequence        0-based position of the chunk in its stream
 * @param last            whether this is the stream's final chunk
 * @param protocolVersion the chunk protocol version the producer wrote
 * @param startMicros     presentation time of the chunk's first frame, from the start of the stream
 * @param durationMicros  presentation duration of the chunk
 * @param frameCount      video frames in the chunk
 * @param format          container of the payload (e.g. {@code matroska}, {@code mpegts}, {@code mp4})
 * @param error           why the chunk could not be processed; set only on dead-letter records
 * @param payload         the segment's bytes
 */
public record ChunkRecord(String streamId, long sequence, boolean last, int protocolVersion, long startMicros,
                          long durationMicros, int frameCount, String format, String error, byte[] payload) {

    public static final int PROTOCOL_VERSION = 1;

    public ChunkRecord {
        Objects.requireNonNull(streamId, "streamId");
        Objects.requireNonNull(format, "format");
        Objects.requireNonNull(payload, "payload");
    }

    /** The same chunk with another payload, container and frame count (what an operator emits). */
    public ChunkRecord withPayload(String newFormat, int newFrameCount, byte[] newPayload) {
        return new ChunkRecord(streamId, sequence, last, protocolVersion, startMicros, durationMicros, newFrameCount,
                newFormat, null, newPayload);
    }

    /** The same chunk marked as failed, for the dead-letter topic. */
    public ChunkRecord withError(String why) {
        return new ChunkRecord(streamId, sequence, last, protocolVersion, startMicros, durationMicros, frameCount,
                format, Objects.requireNonNull(why, "why"), payload);
    }

    public boolean failed() {
        return error != null;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ChunkRecord c && streamId.equals(c.streamId) && sequence == c.sequence && last == c.last
                && protocolVersion == c.protocolVersion && startMicros == c.startMicros
                && durationMicros == c.durationMicros && frameCount == c.frameCount && format.equals(c.format)
                && Objects.equals(error, c.error) && java.util.Arrays.equals(payload, c.payload);
    }

    @Override
    public int hashCode() {
        return Objects.hash(streamId, sequence, format) * 31 + java.util.Arrays.hashCode(payload);
    }

    @Override
    public String toString() {
        return "ChunkRecord[" + streamId + "#" + sequence + (last ? " last" : "") + ", " + frameCount + " frames, "
                + payload.length + " bytes " + format + (error == null ? "" : ", error: " + error) + "]";
    }
}
