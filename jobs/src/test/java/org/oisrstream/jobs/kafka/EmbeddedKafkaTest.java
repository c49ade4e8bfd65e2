package org.oisrstream.jobs.kafka;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;

class EmbeddedKafkaTest {

    @Test
    void transactionsWithLargeRecordsWorkAndAbortedOnesStayInvisible() throws Exception {
        Path dataDir;
        try (EmbeddedKafka kafka = EmbeddedKafka.start(16 * 1024 * 1024, Map.of())) {
            try (var admin = kafka.admin()) {
                admin.createTopics(List.of(new NewTopic("t", 1, (short) 1)
                        .configs(Map.of("max.message.bytes", Integer.toString(16 * 1024 * 1024))))).all().get();
            }
            byte[] big = new byte[10 * 1024 * 1024];
            new Random(1).nextBytes(big);
            Map<String, Object> producerProps = Map.of(
                    ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                    ProducerConfig.TRANSACTIONAL_ID_CONFIG, "test-tx",
                    ProducerConfig.MAX_REQUEST_SIZE_CONFIG, 16 * 1024 * 1024);
            try (var producer = new KafkaProducer<>(producerProps, new ByteArraySerializer(), new ByteArraySerializer())) {
                producer.initTransactions();
                producer.beginTransaction();
                producer.send(new ProducerRecord<>("t", "aborted".getBytes(), new byte[] {1}));
                producer.abortTransaction();
                producer.beginTransaction();
                producer.send(new ProducerRecord<>("t", "big".getBytes(), big));
                producer.commitTransaction();
            }
            Map<String, Object> consumerProps = Map.of(
                    ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                    ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                    ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                    ConsumerConfig.GROUP_ID_CONFIG, "g",
                    ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, 16 * 1024 * 1024);
            List<ConsumerRecord<byte[], byte[]>> seen = new ArrayList<>();
            try (var consumer = new KafkaConsumer<>(consumerProps, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
                consumer.subscribe(List.of("t"));
                long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
                while (seen.isEmpty() && System.nanoTime() < deadline) {
                    consumer.poll(Duration.ofMillis(200)).forEach(seen::add);
                }
            }
            assertEquals(1, seen.size());
            assertEquals("big", new String(seen.get(0).key()));
            assertArrayEquals(big, seen.get(0).value());
            dataDir = Path.of(System.getProperty("java.io.tmpdir"));
        }
        try (var dirs = Files.list(dataDir)) {
            assertFalse(dirs.anyMatch(p -> p.getFileName().toString().startsWith("oisr-kafka-") && isRecent(p)),
                    "the broker's temporary folder is deleted on close");
        }
    }

    private static boolean isRecent(Path p) {
        try {
            return Files.getLastModifiedTime(p).toMillis() > System.currentTimeMillis() - 60_000;
        } catch (Exception e) {
            return false;
        }
    }
}
