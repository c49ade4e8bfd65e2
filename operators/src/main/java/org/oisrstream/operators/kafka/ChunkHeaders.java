package org.oisrstream.operators.kafka;

/**
 * Kafka headers added to the chunk protocol's ({@link org.oisrstream.operators.media.ChunkMetadata}) on the
 * upscaler's dead-letter topic. Values are UTF-8 text.
 */
public final class ChunkHeaders {

    /** Why processing failed. */
    public static final String ERROR = "oisr.error";

    private ChunkHeaders() {
    }
}
