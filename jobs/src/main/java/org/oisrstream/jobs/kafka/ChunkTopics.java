package org.oisrstream.jobs.kafka;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Kafka settings for chunk topics and their clients. Chunks are large records, so every party must agree on the
 * size limit: the topic's {@code max.message.bytes}, producers' {@code max.request.size}, consumers' fetch sizes.
 */
public final class ChunkTopics {

    /** Default largest record: 64 MiB, room for a few seconds of upscaled 4K video. */
    public static final int DEFAULT_MAX_RECORD_BYTES = 64 * 1024 * 1024;

    private ChunkTopics() {
    }

    public static Admin admin(String bootstrapServers) {
        return admin(bootstrapServers, KafkaClientConfig.none());
    }

    /** An admin client with {@code config}'s settings whose calls give up after {@link KafkaClientConfig#waitTimeout()}. */
    public static Admin admin(String bootstrapServers, KafkaClientConfig config) {
        Properties p = config.clientProperties(bootstrapServers);
        long wait = config.waitTimeout().toMillis();
        p.putIfAbsent(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, Long.toString(wait));
        p.putIfAbsent(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, Long.toString(Math.min(wait, 30_000)));
        try {
            return Admin.create(p);
        } catch (RuntimeException e) {
            throw new IllegalStateException(KafkaFailures.explain(e, "creating a Kafka admin client", bootstrapServers,
                    config.waitTimeout()), e);
        }
    }

    /**
     * Creates the topics that do not exist yet, with {@code partitions} partitions, replication {@code replicas}
     * and {@code max.message.bytes = maxRecordBytes}; raises {@code max.message.bytes} of existing ones that
     * allow less.
     */
    public static void ensure(String bootstrapServers, Collection<String> topics, int partitions, short replicas,
                              int maxRecordBytes) {
        ensure(bootstrapServers, KafkaClientConfig.none(), topics, partitions, replicas, maxRecordBytes);
    }

    /** {@link #ensure(String, Collection, int, short, int)} with {@code config}'s client settings (TLS, SASL, ...). */
    public static void ensure(String bootstrapServers, KafkaClientConfig config, Collection<String> topics,
                              int partitions, short replicas, int maxRecordBytes) {
        long wait = config.waitTimeout().toMillis();
        try (Admin admin = admin(bootstrapServers, config)) {
            Set<String> existing = admin.listTopics().names().get(wait, TimeUnit.MILLISECONDS);
            List<NewTopic> missing = new ArrayList<>();
            List<String> present = new ArrayList<>();
            for (String topic : topics) {
                if (existing.contains(topic)) {
                    present.add(topic);
                } else {
                    missing.add(new NewTopic(topic, partitions, replicas)
                            .configs(Map.of(TopicConfig.MAX_MESSAGE_BYTES_CONFIG, Integer.toString(maxRecordBytes))));
                }
            }
            try {
                admin.createTopics(missing).all().get(60, TimeUnit.SECONDS);
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof TopicExistsException)) {
                    throw e;
                }
            }
            // New topics were created with the limit. Describing them right away can race the broker's metadata
            // (UnknownTopicOrPartitionException), so only topics that existed before are checked.
            if (!present.isEmpty()) {
                raiseLimits(admin, present, maxRecordBytes);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while creating topics", e);
        } catch (IllegalStateException e) {
            throw e;
        } catch (Exception e) {
            Throwable cause = e instanceof ExecutionException && e.getCause() != null ? e.getCause() : e;
            throw new IllegalStateException(KafkaFailures.explain(cause, "creating topics " + topics, bootstrapServers,
                    config.waitTimeout()), cause);
        }
    }

    private static void raiseLimits(Admin admin, Collection<String> topics, int maxRecordBytes) throws Exception {
        List<ConfigResource> resources = topics.stream()
                .map(t -> new ConfigResource(ConfigResource.Type.TOPIC, t)).toList();
        Map<ConfigResource, Config> configs = admin.describeConfigs(resources).all().get(30, TimeUnit.SECONDS);
        Map<ConfigResource, Collection<AlterConfigOp>> changes = new HashMap<>();
        for (var entry : configs.entrySet()) {
            ConfigEntry limit = entry.getValue().get(TopicConfig.MAX_MESSAGE_BYTES_CONFIG);
            if (limit == null || Long.parseLong(limit.value()) < maxRecordBytes) {
                changes.put(entry.getKey(), List.of(new AlterConfigOp(new ConfigEntry(
                        TopicConfig.MAX_MESSAGE_BYTES_CONFIG, Integer.toString(maxRecordBytes)), AlterConfigOp.OpType.SET)));
            }
        }
        if (!changes.isEmpty()) {
            admin.incrementalAlterConfigs(changes).all().get(30, TimeUnit.SECONDS);
        }
    }

    /** Producer settings for chunks: idempotent, acks=all, no compression (video is compressed), large requests. */
    public static Properties producerProperties(String bootstrapServers, int maxRecordBytes) {
        return producerProperties(bootstrapServers, maxRecordBytes, KafkaClientConfig.none());
    }

    /** Producer settings for chunks over {@code config}'s; a send blocks at most {@link KafkaClientConfig#waitTimeout()}. */
    public static Properties producerProperties(String bootstrapServers, int maxRecordBytes, KafkaClientConfig config) {
        Properties p = config.clientProperties(bootstrapServers);
        p.putIfAbsent(ProducerConfig.MAX_BLOCK_MS_CONFIG, Long.toString(config.waitTimeout().toMillis()));
        p.setProperty(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        p.setProperty(ProducerConfig.ACKS_CONFIG, "all");
        p.setProperty(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, Integer.toString(maxRecordBytes));
        p.setProperty(ProducerConfig.BUFFER_MEMORY_CONFIG, Long.toString(Math.max(32L << 20, 2L * maxRecordBytes)));
        p.setProperty(ProducerConfig.COMPRESSION_TYPE_CONFIG, "none");
        p.setProperty(ProducerConfig.LINGER_MS_CONFIG, "0");
        p.setProperty(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        p.setProperty(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        return p;
    }

    /** Consumer settings for chunks: only committed records, fetches large enough for the biggest chunk. */
    public static Properties consumerProperties(String bootstrapServers, String groupId, int maxRecordBytes) {
        return consumerProperties(bootstrapServers, groupId, maxRecordBytes, KafkaClientConfig.none());
    }

    /** Consumer settings for chunks over {@code config}'s. */
    public static Properties consumerProperties(String bootstrapServers, String groupId, int maxRecordBytes,
                                                KafkaClientConfig config) {
        Properties p = config.clientProperties(bootstrapServers);
        p.putIfAbsent(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, Long.toString(config.waitTimeout().toMillis()));
        if (groupId != null) {
            p.setProperty(ConsumerConfig.GROUP_ID_CONFIG, groupId);
        }
        p.setProperty(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.setProperty(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.setProperty(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.setProperty(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, Integer.toString(maxRecordBytes));
        p.setProperty(ConsumerConfig.FETCH_MAX_BYTES_CONFIG, Integer.toString(Math.max(maxRecordBytes, 52428800)));
        p.setProperty(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "16");
        p.setProperty(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        p.setProperty(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        return p;
    }
}
