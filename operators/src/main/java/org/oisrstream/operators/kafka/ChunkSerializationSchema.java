package org.oisrstream.operators.kafka;

import java.util.Objects;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Flink's Kafka sink side of {@link ChunkRecordCodec}: processed chunks go to the output topic, chunks marked
 * with an error to the dead-letter topic (with the error in header {@link ChunkHeaders#ERROR}).
 */
public final class ChunkSerializationSchema implements KafkaRecordSerializationSchema<ChunkRecord> {

    private final String outputTopic;
    private final String deadLetterTopic;

    public ChunkSerializationSchema(String outputTopic, String deadLetterTopic) {
        this.outputTopic = Objects.requireNonNull(outputTopic, "outputTopic");
        this.deadLetterTopic = Objects.requireNonNull(deadLetterTopic, "deadLetterTopic");
    }

    @Override
    public ProducerRecord<byte[], byte[]> serialize(ChunkRecord chunk, KafkaSinkContext context, Long timestamp) {
        return ChunkRecordCodec.toProducerRecord(chunk.failed() ? deadLetterTopic : outputTopic, chunk);
    }
}
