package org.oisrstream.operators.kafka;

import java.util.Arrays;
import java.util.Objects;
import org.oisrstream.operators.media.ChunkMetadata;

/**
 * One chunk of one video stream as it travels through Kafka: a self-contained media segment (the record value)
 * and its {@link ChunkMetadata} (record key = stream id, headers as in {@code docs/protocol.md}), so consumers
 * can order and assemble chunks without opening them.
 *
 * @param metadata stream id, sequence, last flag, timing, frame count, container, size
 * @param error    why the chunk could not be processed; set only on dead-letter records (header
 *                 {@link ChunkHeaders#ERROR})
 * @param payload  the segment's bytes
 */
public record ChunkRecord(ChunkMetadata metadata, String error, byte[] payload) {

    public ChunkRecord {
        Objects.requireNonNull(metadata, "metadata");
        Objects.requireNonNull(payload, "payload");
    }

    public static ChunkRecord of(ChunkMetadata metadata, byte[] payload) {
        return new ChunkRecord(metadata, null, payload);
    }

    public String streamId() {
        return metadata.streamId();
    }

    public long sequence() {
        return metadata.sequence();
    }

    public boolean last() {
        return metadata.last();
    }

    public int frameCount() {
        return metadata.frameCount();
    }

    /** The processed chunk: new metadata (container, size, frames) and payload, no error. */
    public ChunkRecord processed(ChunkMetadata newMetadata, byte[] newPayload) {
        return new ChunkRecord(newMetadata, null, newPayload);
    }

    /** The same chunk marked as failed, for the dead-letter topic. */
    public ChunkRecord withError(String why) {
        return new ChunkRecord(metadata, Objects.requireNonNull(why, "why"), payload);
    }

    public boolean failed() {
        return error != null;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ChunkRecord c && metadata.equals(c.metadata) && Objects.equals(error, c.error)
                && Arrays.equals(payload, c.payload);
    }

    @Override
    public int hashCode() {
        return metadata.hashCode() * 31 + Arrays.hashCode(payload);
    }

    @Override
    public String toString() {
        return "ChunkRecord[" + streamId() + "#" + sequence() + (last() ? " last" : "") + ", " + frameCount()
                + " frames, " + payload.length + " bytes " + metadata.container()
                + (error == null ? "" : ", error: " + error) + "]";
    }
}
