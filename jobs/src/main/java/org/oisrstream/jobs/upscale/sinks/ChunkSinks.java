package org.oisrstream.jobs.upscale.sinks;

import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.connector.kafka.sink.KafkaSink;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.oisrstream.jobs.kafka.ChunkTopics;
import org.oisrstream.jobs.upscale.UpscaleJob;
import org.oisrstream.jobs.upscale.UpscaleJobParameters;
import org.oisrstream.operators.kafka.ChunkRecord;
import org.oisrstream.operators.kafka.ChunkSerializationSchema;

/**
 * The outputs {@link UpscaleJob} can write to, each built from the job's {@link UpscaleJobParameters}. Today there
 * is one, the Kafka topics; the package documentation says what another output must provide.
 */
public final class ChunkSinks {

    private ChunkSinks() {
    }

    /**
     * Writes upscaled chunks to the output topic and dead letters to the dead-letter topic
     * ({@link ChunkSerializationSchema}), in Kafka transactions committed on checkpoints; a broker outage fails
     * the job (which restarts from its checkpoint) but not the TaskManager ({@link OutageTolerantKafkaSink}).
     */
    public static OutageTolerantKafkaSink<ChunkRecord> kafka(UpscaleJobParameters params) {
        var producer = ChunkTopics.producerProperties(params.bootstrapServers(), params.upscale().maxRecordBytes(),
                params.kafka());
        // The sink sets its own (byte array) serializers.
        producer.remove(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG);
        producer.remove(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG);
        producer.setProperty(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG,
                Long.toString(params.transactionTimeout().toMillis()));
        // The sink starts a new transactional producer at checkpoints, and its first InitProducerId waits one
        // retry backoff after the coordinator is found (Kafka's Sender sleeps it): 100 ms by default, spent at
        // the end of every local run before the last chunk could commit. Retries back off exponentially from here
        // up to retry.backoff.max.ms (1 s), so an outage is not hammered.
        producer.putIfAbsent(ProducerConfig.RETRY_BACKOFF_MS_CONFIG, "10");
        return new OutageTolerantKafkaSink<>(KafkaSink.<ChunkRecord>builder()
                .setBootstrapServers(params.bootstrapServers())
                .setKafkaProducerConfig(producer)
                .setRecordSerializer(new ChunkSerializationSchema(params.outputTopic(), params.deadLetterTopic()))
                .setDeliveryGuarantee(DeliveryGuarantee.EXACTLY_ONCE)
                .setTransactionalIdPrefix(params.transactionalIdPrefix())
                .build());
    }
}
