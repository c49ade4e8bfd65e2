package org.oisrstream.operators.kafka;

import java.nio.charset.StandardCharsets;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.oisrstream.operators.media.ChunkMetadata;

/**
 * Flink's Kafka source side of {@link ChunkRecordCodec}. A record that is not a chunk is not dropped and does not
 * fail the job: it comes out as a chunk marked with the error, which the job routes to the dead-letter topic
 * (with the original key and value; its protocol headers there are placeholders, sequence 0 and container
 * {@code unknown}, and the error says where the record came from).
 */
public final class ChunkDeserializationSchema implements KafkaRecordDeserializationSchema<ChunkRecord> {

    @Override
    public void deserialize(ConsumerRecord<byte[], byte[]> record, Collector<ChunkRecord> out) {
        try {
            out.collect(ChunkRecordCodec.fromConsumerRecord(record));
        } catch (MalformedChunkException e) {
            String key = record.key() == null || record.key().length == 0 ? "unknown"
                    : new String(record.key(), StandardCharsets.UTF_8);
            byte[] value = record.value() == null ? new byte[0] : record.value();
            ChunkMetadata placeholder = new ChunkMetadata(key, 0, false, 0, 0, 0, "unknown", 0, 0, -1);
            out.collect(new ChunkRecord(placeholder, "malformed input record at " + record.topic() + "-"
                    + record.partition() + "@" + record.offset() + ": " + e.getMessage(), value));
        }
    }

    @Override
    public TypeInformation<ChunkRecord> getProducedType() {
        return TypeInformation.of(ChunkRecord.class);
    }
}
