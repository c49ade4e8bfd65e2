package org.oisrstream.operators.kafka;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeader;

/** Converts {@link ChunkRecord}s to and from Kafka records: key = stream id, value = payload, the rest in headers. */
public final class ChunkRecordCodec {

    private ChunkRecordCodec() {
    }

    public static ProducerRecord<byte[], byte[]> toProducerRecord(String topic, ChunkRecord chunk) {
        return new ProducerRecord<>(topic, null, null, chunk.streamId().getBytes(StandardCharsets.UTF_8),
                chunk.payload(), headers(chunk));
    }

    public static List<Header> headers(ChunkRecord chunk) {
        List<Header> h = new ArrayList<>(8);
        h.add(text(ChunkHeaders.VERSION, Integer.toString(chunk.protocolVersion())));
        h.add(text(ChunkHeaders.SEQUENCE, Long.toString(chunk.sequence())));
        h.add(text(ChunkHeaders.LAST, Boolean.toString(chunk.last())));
        h.add(text(ChunkHeaders.START_MICROS, Long.toString(chunk.startMicros())));
        h.add(text(ChunkHeaders.DURATION_MICROS, Long.toString(chunk.durationMicros())));
        h.add(text(ChunkHeaders.FRAMES, Integer.toString(chunk.frameCount())));
        h.add(text(ChunkHeaders.FORMAT, chunk.format()));
        if (chunk.error() != null) {
            h.add(text(ChunkHeaders.ERROR, chunk.error()));
        }
        return h;
    }

    /** Reads a chunk record; throws {@link MalformedChunkException} naming what is missing or wrong. */
    public static ChunkRecord fromConsumerRecord(ConsumerRecord<byte[], byte[]> record) {
        return decode(record.key(), record.value(), record.headers());
    }

    public static ChunkRecord decode(byte[] key, byte[] value, Headers headers) {
        if (key == null) {
            throw new MalformedChunkException("record has no key (the stream id)");
        }
        if (value == null) {
            throw new MalformedChunkException("record has no value (the chunk)");
        }
        int version = (int) number(headers, ChunkHeaders.VERSION);
        if (version < 1 || version > ChunkRecord.PROTOCOL_VERSION) {
            throw new MalformedChunkException("unsupported chunk protocol version " + version + " (this build reads 1.."
                    + ChunkRecord.PROTOCOL_VERSION + ")");
        }
        long sequence = number(headers, ChunkHeaders.SEQUENCE);
        if (sequence < 0) {
            throw new MalformedChunkException("negative sequence number " + sequence);
        }
        String last = required(headers, ChunkHeaders.LAST);
        if (!last.equals("true") && !last.equals("false")) {
            throw new MalformedChunkException("header " + ChunkHeaders.LAST + " is '" + last + "', not true/false");
        }
        return new ChunkRecord(new String(key, StandardCharsets.UTF_8), sequence, Boolean.parseBoolean(last), version,
                number(headers, ChunkHeaders.START_MICROS), number(headers, ChunkHeaders.DURATION_MICROS),
                (int) number(headers, ChunkHeaders.FRAMES), required(headers, ChunkHeaders.FORMAT),
                optional(headers, ChunkHeaders.ERROR), value);
    }

    /** The value of a text header, or null when absent. */
    public static String optional(Headers headers, String name) {
        Header h = headers.lastHeader(name);
        return h == null || h.value() == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }

    private static String required(Headers headers, String name) {
        String v = optional(headers, name);
        if (v == null) {
            throw new MalformedChunkException("record has no header " + name);
        }
        return v;
    }

    private static long number(Headers headers, String name) {
        String v = required(headers, name);
        try {
            return Long.parseLong(v.strip());
        } catch (NumberFormatException e) {
            throw new MalformedChunkException("header " + name + " is '" + v + "', not a number");
        }
    }

    private static Header text(String name, String value) {
        return new RecordHeader(name, value.getBytes(StandardCharsets.UTF_8));
    }
}
