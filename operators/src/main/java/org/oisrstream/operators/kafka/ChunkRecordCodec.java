package org.oisrstream.operators.kafka;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.oisrstream.operators.media.ChunkMetadata;

/**
 * Converts {@link ChunkRecord}s to and from Kafka records: key = stream id, value = payload, metadata in the
 * protocol headers of {@link ChunkMetadata}, plus {@link ChunkHeaders#ERROR} on dead letters.
 */
public final class ChunkRecordCodec {

    private ChunkRecordCodec() {
    }

    public static ProducerRecord<byte[], byte[]> toProducerRecord(String topic, ChunkRecord chunk) {
        return new ProducerRecord<>(topic, null, null, chunk.streamId().getBytes(StandardCharsets.UTF_8),
                chunk.payload(), headers(chunk));
    }

    public static List<Header> headers(ChunkRecord chunk) {
        List<Header> h = new ArrayList<>(12);
        chunk.metadata().toHeaders().forEach((name, value) -> h.add(new RecordHeader(name, value)));
        if (chunk.error() != null) {
            h.add(new RecordHeader(ChunkHeaders.ERROR, chunk.error().getBytes(StandardCharsets.UTF_8)));
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
        ChunkMetadata metadata;
        try {
            metadata = ChunkMetadata.fromHeaders(name -> {
                Header h = headers.lastHeader(name);
                return h == null ? null : h.value();
            });
        } catch (IllegalArgumentException e) {
            throw new MalformedChunkException(e.getMessage());
        }
        String streamId = new String(key, StandardCharsets.UTF_8);
        if (!streamId.equals(metadata.streamId())) {
            throw new MalformedChunkException("record key '" + streamId + "' differs from header "
                    + ChunkMetadata.STREAM_HEADER + " '" + metadata.streamId() + "'");
        }
        return new ChunkRecord(metadata, optional(headers, ChunkHeaders.ERROR), value);
    }

    /** The value of a text header, or null when absent. */
    public static String optional(Headers headers, String name) {
        Header h = headers.lastHeader(name);
        return h == null || h.value() == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }
}
