import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.TreeMap;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Record-level helpers of tools/chaos.sh (run with {@code java -cp ... tools/ChaosRecords.java}):
 *
 * <pre>
 *   count BOOTSTRAP TOPIC        per stream (read_committed): records, distinct oisr.seq, highest seq + 1
 *   bad BOOTSTRAP IN-TOPIC STREAM   a burst of bad records: random bytes with headers, no headers, a truncated
 *                                   copy of a real chunk of STREAM, no key
 * </pre>
 */
public final class ChaosRecords {

    public static void main(String[] args) throws Exception {
        switch (args[0]) {
            case "count" -> count(args[1], args[2]);
            case "bad" -> bad(args[1], args[2], args[3]);
            default -> throw new IllegalArgumentException("count | bad");
        }
    }

    private static List<ConsumerRecord<byte[], byte[]>> readAll(String bootstrap, String topic) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, Integer.toString(64 << 20));
        p.put(ConsumerConfig.FETCH_MAX_BYTES_CONFIG, Integer.toString(64 << 20));
        List<ConsumerRecord<byte[], byte[]>> all = new ArrayList<>();
        try (var consumer = new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> parts = consumer.partitionsFor(topic, Duration.ofSeconds(30)).stream()
                    .map(i -> new TopicPartition(topic, i.partition())).toList();
            consumer.assign(parts);
            consumer.seekToBeginning(parts);
            Map<TopicPartition, Long> end = consumer.endOffsets(parts);
            long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
            while (parts.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp)) && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(500)).forEach(all::add);
            }
        }
        return all;
    }

    private static String header(ConsumerRecord<byte[], byte[]> r, String name) {
        Header h = r.headers().lastHeader(name);
        return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }

    private static void count(String bootstrap, String topic) {
        Map<String, List<Long>> seqs = new TreeMap<>();
        for (var r : readAll(bootstrap, topic)) {
            String stream = r.key() == null ? "(no key)" : new String(r.key(), StandardCharsets.UTF_8);
            String seq = header(r, "oisr.seq");
            seqs.computeIfAbsent(stream, s -> new ArrayList<>()).add(seq == null ? -1 : Long.parseLong(seq));
        }
        seqs.forEach((stream, list) -> System.out.println(stream + " " + list.size() + " "
                + list.stream().distinct().count() + " " + (list.stream().mapToLong(Long::longValue).max().orElse(-1) + 1)));
    }

    private static void bad(String bootstrap, String topic, String realStream) {
        ConsumerRecord<byte[], byte[]> real = readAll(bootstrap, topic).stream()
                .filter(r -> r.key() != null && new String(r.key(), StandardCharsets.UTF_8).equals(realStream))
                .findFirst().orElseThrow(() -> new IllegalStateException("no chunk of " + realStream + " in " + topic));
        Map<String, Object> p = new HashMap<>();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, 64 << 20);
        byte[] random = new byte[4096];
        new Random(10).nextBytes(random);
        try (var producer = new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer())) {
            for (int i = 0; i < 3; i++) {
                String stream = "chaos-bad-" + i;
                var withHeaders = new ProducerRecord<>(topic, null, stream.getBytes(StandardCharsets.UTF_8), random,
                        withStream(real, stream));
                producer.send(withHeaders);
            }
            producer.send(new ProducerRecord<>(topic, "chaos-bad-noheaders".getBytes(StandardCharsets.UTF_8), random));
            byte[] truncated = java.util.Arrays.copyOf(real.value(), real.value().length / 2);
            producer.send(new ProducerRecord<>(topic, null, "chaos-bad-truncated".getBytes(StandardCharsets.UTF_8),
                    truncated, withStream(real, "chaos-bad-truncated")));
            producer.send(new ProducerRecord<byte[], byte[]>(topic, (Integer) null, (byte[]) null, random,
                    withStream(real, "chaos-bad-nokey")));
            producer.flush();
        }
        System.out.println("6 bad records sent");
    }

    private static List<Header> withStream(ConsumerRecord<byte[], byte[]> real, String stream) {
        List<Header> headers = new ArrayList<>();
        for (Header h : real.headers()) {
            headers.add(h.key().equals("oisr.stream")
                    ? new RecordHeader("oisr.stream", stream.getBytes(StandardCharsets.UTF_8)) : h);
        }
        return headers;
    }
}
