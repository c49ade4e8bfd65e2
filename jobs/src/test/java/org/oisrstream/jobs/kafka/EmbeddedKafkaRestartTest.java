package org.oisrstream.jobs.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EmbeddedKafkaRestartTest {

    @Test
    void aBrokerOnADataDirKeepsItsTopicsCommittedRecordsAndOffsetsAcrossStopAndStart(@TempDir Path dir) throws Exception {
        Path dataDir = dir.resolve("broker");
        String firstAddress;
        try (EmbeddedKafka kafka = EmbeddedKafka.builder().dataDir(dataDir).start()) {
            firstAddress = kafka.bootstrapServers();
            try (var admin = kafka.admin()) {
                admin.createTopics(List.of(new NewTopic("kept", 1, (short) 1))).all().get();
            }
            try (var producer = transactionalProducer(kafka.bootstrapServers())) {
                producer.initTransactions();
                producer.beginTransaction();
                producer.send(new ProducerRecord<>("kept", "a", "committed"));
                producer.commitTransaction();
                producer.beginTransaction();
                producer.send(new ProducerRecord<>("kept", "b", "aborted"));
                producer.abortTransaction();
            }
            try (var admin = kafka.admin()) {
                admin.alterConsumerGroupOffsets("g", Map.of(new TopicPartition("kept", 0), new OffsetAndMetadata(1)))
                        .all().get();
            }
        }
        assertTrue(Files.isDirectory(dataDir.resolve("log")), "a data dir is kept on close");

        try (EmbeddedKafka kafka = EmbeddedKafka.builder().dataDir(dataDir).start()) {
            assertEquals(firstAddress, kafka.bootstrapServers(), "a restart comes back on the port of the last start");
            try (var admin = kafka.admin()) {
                assertTrue(admin.listTopics().names().get().contains("kept"));
                assertEquals(1, admin.listConsumerGroupOffsets("g").partitionsToOffsetAndMetadata().get()
                        .get(new TopicPartition("kept", 0)).offset());
            }
            assertEquals(List.of("a=committed"), readCommitted(kafka.bootstrapServers()));
            // The transaction state survived too: the same transactional id fences and goes on.
            try (var producer = transactionalProducer(kafka.bootstrapServers())) {
                producer.initTransactions();
                producer.beginTransaction();
                producer.send(new ProducerRecord<>("kept", "c", "after restart"));
                producer.commitTransaction();
            }
            assertEquals(List.of("a=committed", "c=after restart"), readCommitted(kafka.bootstrapServers()));
        }
    }

    @Test
    void aTemporaryFolderLeftByADeadProcessIsDeletedByTheNextStart() throws Exception {
        Path stale = Files.createTempDirectory("oisr-kafka-");
        // The pid of a process that has exited: a short-lived child we waited for.
        Process gone = new ProcessBuilder("true").start();
        gone.waitFor();
        Files.writeString(stale.resolve("owner"), gone.pid() + " 0", StandardCharsets.UTF_8);
        Files.createDirectories(stale.resolve("log"));
        try (EmbeddedKafka kafka = EmbeddedKafka.start()) {
            assertFalse(Files.exists(stale), "the stale folder " + stale + " is deleted");
            assertTrue(Files.isRegularFile(kafka.dataDir().resolve("owner")), "a new temporary folder names its owner");
        }
    }

    private static KafkaProducer<String, String> transactionalProducer(String bootstrap) {
        return new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ProducerConfig.TRANSACTIONAL_ID_CONFIG, "restart-test"), new StringSerializer(), new StringSerializer());
    }

    private static List<String> readCommitted(String bootstrap) {
        Map<String, Object> props = Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        List<String> seen = new ArrayList<>();
        try (var consumer = new KafkaConsumer<>(props, new StringDeserializer(), new StringDeserializer())) {
            TopicPartition tp = new TopicPartition("kept", 0);
            consumer.assign(List.of(tp));
            consumer.seekToBeginning(List.of(tp));
            long end = consumer.endOffsets(List.of(tp)).get(tp);
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (consumer.position(tp) < end && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(r -> seen.add(r.key() + "=" + r.value()));
            }
        }
        return seen;
    }
}
