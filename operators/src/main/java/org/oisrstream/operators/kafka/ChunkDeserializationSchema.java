package org.oisrstream.operators.kafka;

import java.nio.charset.StandardCharsets;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Flink's Kafka source side of {@link ChunkRecordCodec}. A record that is not a chunk is not dropped and does not
 * fail the job: it comes out as a chunk marked with the error, which the job routes to the dead-letter topic.
 */
public final class ChunkDeserializationSchema implements KafkaRecordDeserializationSchema<ChunkRecord> {

    @Override
    public void deserialize(ConsumerRecord<byte[], byte[]> record, Collector<ChunkRecord> out) {
        try {
            out.collect(ChunkRecordCodec.fromConsumerRecord(record));
        } catch (MalformedChunkException e) {
            String key = record.key() == null ? "" : new String(record.key(), StandardCharsets.UTF_8);
            byte[] value = record.value() == null ? new byte[0] : record.value();
            out.collect(new ChunkRecord(key, -1, false, 0, 0, 0, 0, "unknown",
                    "malformed input record at " + record.topic() + "-" + record.partition() + "@" + record.offset()
                            + ": " + e.getMessage(), value));
        }
    }

    @Override
    public TypeInformation<ChunkRecord> getProducedType() {
        return TypeInformation.of(ChunkRecord.class);
    }
}
