package org.oisrstream.jobs.upscale;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.oisrstream.jobs.kafka.ChunkTopics;

/** Reads a topic from the start in tests: until {@code expected} records or the timeout, then a second more. */
final class TopicReader {

    private TopicReader() {
    }

    static List<ConsumerRecord<byte[], byte[]>> read(String bootstrapServers, String topic, int expected,
                                                     Duration timeout, String isolation, int maxRecordBytes) {
        List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
        var props = ChunkTopics.consumerProperties(bootstrapServers, null, maxRecordBytes);
        props.setProperty("isolation.level", isolation);
        try (var consumer = new KafkaConsumer<byte[], byte[]>(props)) {
            var partitions = consumer.partitionsFor(topic).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            long deadline = System.nanoTime() + timeout.toNanos();
            while (records.size() < expected && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
            }
            // Anything more than expected (a duplicate) would show up now.
            consumer.poll(Duration.ofSeconds(1)).forEach(records::add);
        }
        return records;
    }
}
