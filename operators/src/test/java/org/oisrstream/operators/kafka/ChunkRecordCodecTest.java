package org.oisrstream.operators.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.flink.api.common.ExecutionConfig;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.java.typeutils.PojoTypeInfo;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.Test;
import org.oisrstream.operators.media.ChunkMetadata;

class ChunkRecordCodecTest {

    private static final ChunkRecord CHUNK = ChunkRecord.of(new ChunkMetadata("cam-7", 12, true, 24_000_000L,
            2_002_000L, 48, "matroska", 90, 54, 480), new byte[] {1, 2, 3, 4, 5});

    private static ConsumerRecord<byte[], byte[]> asConsumed(ProducerRecord<byte[], byte[]> p) {
        return new ConsumerRecord<>(p.topic(), 0, 42, 0L, TimestampType.CREATE_TIME, -1, -1, p.key(), p.value(),
                new RecordHeaders(p.headers().toArray()), Optional.empty());
    }

    @Test
    void roundTripKeepsEveryField() {
        ProducerRecord<byte[], byte[]> p = ChunkRecordCodec.toProducerRecord("in", CHUNK);
        assertEquals("in", p.topic());
        assertEquals("cam-7", new String(p.key(), StandardCharsets.UTF_8));
        assertEquals("12", ChunkRecordCodec.optional(p.headers(), ChunkMetadata.SEQUENCE_HEADER));
        assertEquals(CHUNK, ChunkRecordCodec.fromConsumerRecord(asConsumed(p)));
        ChunkRecord failed = CHUNK.withError("decoder said no");
        assertEquals(failed, ChunkRecordCodec.fromConsumerRecord(asConsumed(ChunkRecordCodec.toProducerRecord("x", failed))));
    }

    @Test
    void missingOrBadHeadersAreNamed() {
        ProducerRecord<byte[], byte[]> p = ChunkRecordCodec.toProducerRecord("in", CHUNK);
        p.headers().remove(ChunkMetadata.FRAMES_HEADER);
        var e = assertThrows(MalformedChunkException.class, () -> ChunkRecordCodec.fromConsumerRecord(asConsumed(p)));
        assertEquals("chunk header oisr.frames is missing", e.getMessage());

        ProducerRecord<byte[], byte[]> future = ChunkRecordCodec.toProducerRecord("in", CHUNK);
        future.headers().remove(ChunkMetadata.VERSION_HEADER)
                .add(ChunkMetadata.VERSION_HEADER, "9".getBytes(StandardCharsets.UTF_8));
        e = assertThrows(MalformedChunkException.class, () -> ChunkRecordCodec.fromConsumerRecord(asConsumed(future)));
        assertTrue(e.getMessage().startsWith("chunk protocol version 9 is not supported"), e.getMessage());

        ProducerRecord<byte[], byte[]> rekeyed = new ProducerRecord<>("in", null, null,
                "other".getBytes(StandardCharsets.UTF_8), CHUNK.payload(), ChunkRecordCodec.headers(CHUNK));
        e = assertThrows(MalformedChunkException.class, () -> ChunkRecordCodec.fromConsumerRecord(asConsumed(rekeyed)));
        assertTrue(e.getMessage().contains("differs from header oisr.stream"), e.getMessage());
    }

    @Test
    void flinkSourceTurnsForeignRecordsIntoDeadLetterChunksAndSinkRoutesThem() {
        List<ChunkRecord> out = new ArrayList<>();
        Collector<ChunkRecord> collector = new Collector<>() {
            @Override
            public void collect(ChunkRecord record) {
                out.add(record);
            }

            @Override
            public void close() {
            }
        };
        var source = new ChunkDeserializationSchema();
        source.deserialize(asConsumed(ChunkRecordCodec.toProducerRecord("in", CHUNK)), collector);
        source.deserialize(asConsumed(new ProducerRecord<>("in", "k".getBytes(), "hello".getBytes())), collector);
        assertEquals(CHUNK, out.get(0));
        assertTrue(out.get(1).failed());
        assertTrue(out.get(1).error().contains("in-0@42"), out.get(1).error());

        var sink = new ChunkSerializationSchema("out", "dlq");
        assertEquals("out", sink.serialize(out.get(0), null, null).topic());
        ProducerRecord<byte[], byte[]> dead = sink.serialize(out.get(1), null, null);
        assertEquals("dlq", dead.topic());
        assertEquals("hello", new String(dead.value(), StandardCharsets.UTF_8));
        assertTrue(ChunkRecordCodec.optional(dead.headers(), ChunkHeaders.ERROR).contains("is missing"));
    }

    @Test
    void flinkSerializesChunksAsPojosNotKryo() throws Exception {
        TypeInformation<ChunkRecord> type = new ChunkDeserializationSchema().getProducedType();
        assertInstanceOf(PojoTypeInfo.class, type, "records are Flink POJOs: " + type);
        TypeSerializer<ChunkRecord> serializer = type.createSerializer(new ExecutionConfig().getSerializerConfig());
        DataOutputSerializer buf = new DataOutputSerializer(64);
        serializer.serialize(CHUNK.withError("x"), buf);
        ChunkRecord back = serializer.deserialize(new DataInputDeserializer(buf.getSharedBuffer(), 0, buf.length()));
        assertEquals(CHUNK.withError("x"), back);
        assertFalse(CHUNK.failed());
    }
}
