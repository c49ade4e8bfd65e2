package org.oisrstream.jobs.live;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.oisrstream.jobs.kafka.ChunkTopics;
import org.oisrstream.jobs.kafka.KafkaClientConfig;
import org.oisrstream.operators.kafka.ChunkRecord;
import org.oisrstream.operators.kafka.ChunkRecordCodec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows one stream's chunks on a topic ({@code read_committed}, from the start) on its own thread and hands
 * each to a consumer, until the stream's last chunk or {@link #close()}. {@code oisr assemble --hls} uses it
 * to show the input topic's source chunks next to the upscaled ones.
 */
public final class TopicChunkFollower implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(TopicChunkFollower.class);

    private final Thread thread;
    private volatile boolean stopped;

    private TopicChunkFollower(String bootstrapServers, KafkaClientConfig kafka, String topic, String streamId,
                               int maxRecordBytes, Consumer<ChunkRecord> onChunk) {
        thread = new Thread(() -> follow(bootstrapServers, kafka, topic, streamId, maxRecordBytes, onChunk),
                "oisr-follow-" + topic);
        thread.setDaemon(true);
    }

    public static TopicChunkFollower start(String bootstrapServers, String topic, String streamId, int maxRecordBytes,
                                           Consumer<ChunkRecord> onChunk) {
        return start(bootstrapServers, KafkaClientConfig.none(), topic, streamId, maxRecordBytes, onChunk);
    }

    /** Follows {@code topic} with {@code kafka}'s client settings (TLS, SASL). */
    public static TopicChunkFollower start(String bootstrapServers, KafkaClientConfig kafka, String topic,
                                           String streamId, int maxRecordBytes, Consumer<ChunkRecord> onChunk) {
        Objects.requireNonNull(onChunk, "onChunk");
        Objects.requireNonNull(kafka, "kafka");
        TopicChunkFollower follower = new TopicChunkFollower(bootstrapServers, kafka, topic, streamId, maxRecordBytes,
                onChunk);
        follower.thread.start();
        return follower;
    }

    private void follow(String bootstrapServers, KafkaClientConfig kafka, String topic, String streamId,
                        int maxRecordBytes, Consumer<ChunkRecord> onChunk) {
        var props = ChunkTopics.consumerProperties(bootstrapServers, null, maxRecordBytes, kafka);
        try (var consumer = new KafkaConsumer<byte[], byte[]>(props)) {
            var infos = consumer.partitionsFor(topic, Duration.ofSeconds(30));
            if (infos == null || infos.isEmpty()) {
                LOG.warn("topic {} does not exist: no source stream to show", topic);
                return;
            }
            List<TopicPartition> partitions = infos.stream().map(p -> new TopicPartition(topic, p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            while (!stopped) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    if (record.key() == null || !streamId.equals(new String(record.key(), StandardCharsets.UTF_8))) {
                        continue;
                    }
                    ChunkRecord chunk = ChunkRecordCodec.fromConsumerRecord(record);
                    onChunk.accept(chunk);
                    if (chunk.last()) {
                        return;
                    }
                }
            }
        } catch (RuntimeException e) {
            LOG.warn("stopped following {} for stream {}: {}", topic, streamId, e.toString());
        }
    }

    @Override
    public void close() throws InterruptedException {
        stopped = true;
        thread.join(10_000);
    }
}
