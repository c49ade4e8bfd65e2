package org.oisrstream.jobs.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.junit.jupiter.api.Test;
import org.oisrstream.jobs.kafka.ChunkTopics;
import org.oisrstream.jobs.kafka.EmbeddedKafka;

/** {@code oisr topics} against a real broker: the three job topics, sized for upscaled chunks. */
class TopicsCommandTest {

    @Test
    void createsTheJobTopicsWithLargeRecordsAndIsIdempotent() throws Exception {
        try (EmbeddedKafka kafka = EmbeddedKafka.start();
             Admin admin = ChunkTopics.admin(kafka.bootstrapServers())) {
            assertEquals(0, OisrCli.execute("topics", "--bootstrap-servers", kafka.bootstrapServers(),
                    "--partitions", "2", "--max-record-bytes", Integer.toString(32 << 20)));
            assertEquals(0, OisrCli.execute("topics", "--bootstrap-servers", kafka.bootstrapServers()));

            List<String> names = List.of("oisr.chunks.in", "oisr.chunks.out", "oisr.chunks.dead");
            Map<String, TopicDescription> topics = admin.describeTopics(names).allTopicNames().get(30, TimeUnit.SECONDS);
            assertEquals(3, topics.size());
            topics.values().forEach(t -> assertEquals(2, t.partitions().size(), t.name()));
            for (String name : names) {
                ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, name);
                Config config = admin.describeConfigs(List.of(resource)).all().get(30, TimeUnit.SECONDS).get(resource);
                long maxBytes = Long.parseLong(config.get(TopicConfig.MAX_MESSAGE_BYTES_CONFIG).value());
                assertTrue(maxBytes >= 32 << 20, name + " max.message.bytes " + maxBytes);
            }
        }
    }

    @Test
    void refusesNonPositiveSizesBeforeContactingKafka() {
        assertEquals(2, OisrCli.execute("topics", "--bootstrap-servers", "127.0.0.1:1", "--partitions", "0"));
    }
}
