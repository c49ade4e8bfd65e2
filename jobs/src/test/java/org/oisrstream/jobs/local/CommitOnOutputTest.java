package org.oisrstream.jobs.local;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.Test;
import org.oisrstream.jobs.kafka.EmbeddedKafka;

/**
 * The watcher's fetch waits at the broker for seconds (so an idle watcher rarely asks); closing it must not wait
 * for that fetch, or every local run's shut-down would.
 */
class CommitOnOutputTest {

    @Test
    void closesAtOnceWhileItsFetchWaitsAtTheBroker() throws Exception {
        try (EmbeddedKafka kafka = EmbeddedKafka.start()) {
            try (var admin = kafka.admin()) {
                admin.createTopics(List.of(new NewTopic("upscaled", 1, (short) 1))).all().get();
            }
            Properties consumer = new Properties();
            consumer.setProperty(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
            consumer.setProperty(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
            consumer.setProperty(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
            // No record of the stream is written, so the watcher never asks the (absent) cluster for a checkpoint.
            CommitOnOutput watcher = CommitOnOutput.start(consumer, List.of("upscaled"), "clip", null, null, () -> { });
            Thread.sleep(1000); // its first fetch is now parked at the broker, for up to 5 s
            long started = System.nanoTime();
            watcher.close();
            Duration took = Duration.ofNanos(System.nanoTime() - started);
            assertTrue(took.compareTo(Duration.ofMillis(2500)) < 0, "close took " + took.toMillis() + " ms");
        }
    }
}
