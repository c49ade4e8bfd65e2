package org.oisrstream.operators.kafka;

/**
 * Kafka header names of a chunk record (values are UTF-8 text: decimal numbers, {@code true}/{@code false},
 * or words), so that {@code kafka-console-consumer --property print.headers=true} shows them as they are.
 */
public final class ChunkHeaders {

    public static final String VERSION = "oisr.version";
    public static final String SEQUENCE = "oisr.seq";
    public static final String LAST = "oisr.last";
    public static final String START_MICROS = "oisr.start-us";
    public static final String DURATION_MICROS = "oisr.duration-us";
    public static final String FRAMES = "oisr.frames";
    public static final String FORMAT = "oisr.format";
    /** Only on dead-letter records: why processing failed. */
    public static final String ERROR = "oisr.error";

    private ChunkHeaders() {
    }
}
