package org.oisrstream.jobs.upscale;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.oisrstream.jobs.kafka.ChunkTopics;
import org.oisrstream.jobs.kafka.EmbeddedKafka;
import org.oisrstream.jobs.upscale.sinks.ChunkSinks;
import org.oisrstream.model.image.RgbImage;
import org.oisrstream.model.infer.NearestNeighbourUpscaler;
import org.oisrstream.operators.infer.UpscalerSpec;
import org.oisrstream.operators.kafka.ChunkHeaders;
import org.oisrstream.operators.kafka.ChunkRecord;
import org.oisrstream.operators.kafka.ChunkRecordCodec;
import org.oisrstream.operators.media.ChunkMetadata;

/**
 * The Flink job on a MiniCluster against a real (embedded) Kafka broker, with uncompressed chunks so that every
 * output frame can be checked exactly: order per stream, separation of streams, exactly-once output, dead
 * letters for bad input.
 */
class UpscaleJobKafkaTest {

    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setNumberTaskManagers(1).setNumberSlotsPerTaskManager(2).build());

    private static EmbeddedKafka kafka;

    @BeforeAll
    static void startKafka() {
        kafka = EmbeddedKafka.start(8 * 1024 * 1024, Map.of());
    }

    @AfterAll
    static void stopKafka() {
        kafka.close();
    }

    private static List<RgbImage> frames(Random rnd, int w, int h, int n) {
        List<RgbImage> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            byte[] px = new byte[w * h * 3];
            rnd.nextBytes(px);
            out.add(new RgbImage(w, h, px));
        }
        return out;
    }

    @Test
    void twoStreamsComeOutUpscaledInOrderExactlyOnceAndBadRecordsAreDeadLettered() throws Exception {
        UpscaleJobParameters params = UpscaleJobParameters.builder()
                .bootstrapServers(kafka.bootstrapServers())
                .inputTopic("raw.in").outputTopic("raw.out").deadLetterTopic("raw.dead")
                .groupId("raw-test").transactionalIdPrefix("raw-test")
                .checkpointInterval(Duration.ofMillis(300))
                .parallelism(2)
                .upscaler(UpscalerSpec.of("nearest", 2))
                .chunksInFlight(3).framesInFlight(4)
                .maxRecordBytes(8 * 1024 * 1024)
                .build();
        ChunkTopics.ensure(kafka.bootstrapServers(), List.of("raw.in", "raw.out", "raw.dead"), 2, (short) 1,
                params.upscale().maxRecordBytes());

        // Two streams with different frame sizes, chunks interleaved on the topic.
        Random rnd = new Random(7);
        Map<String, List<List<RgbImage>>> inputs = new HashMap<>();
        int chunksPerStream = 6;
        try (var producer = new KafkaProducer<byte[], byte[]>(ChunkTopics.producerProperties(
                kafka.bootstrapServers(), params.upscale().maxRecordBytes()))) {
            for (int seq = 0; seq < chunksPerStream; seq++) {
                for (String stream : List.of("a", "b")) {
                    List<RgbImage> chunk = stream.equals("a") ? frames(rnd, 9, 5, 3 + seq % 2) : frames(rnd, 6, 4, 5);
                    inputs.computeIfAbsent(stream, k -> new ArrayList<>()).add(chunk);
                    producer.send(ChunkRecordCodec.toProducerRecord("raw.in", ChunkRecord.of(new ChunkMetadata(stream,
                            seq, seq == chunksPerStream - 1, seq * 1000L, 1000L, chunk.size(),
                            RawFramesChunkProcessor.FORMAT, chunk.get(0).width(), chunk.get(0).height(), -1),
                            RawFramesChunkProcessor.encode(chunk))));
                }
            }
            producer.send(new org.apache.kafka.clients.producer.ProducerRecord<>("raw.in",
                    "c".getBytes(StandardCharsets.UTF_8), "not a chunk".getBytes(StandardCharsets.UTF_8)));
            producer.send(ChunkRecordCodec.toProducerRecord("raw.in", ChunkRecord.of(new ChunkMetadata("d", 0, true,
                    0, 1000, 1, RawFramesChunkProcessor.FORMAT, 1, 1, -1), new byte[] {1, 2, 3})));
            // 3 MB in, 12 MB once upscaled: more than the 8 MB record limit.
            List<RgbImage> big = frames(rnd, 1000, 1000, 1);
            producer.send(ChunkRecordCodec.toProducerRecord("raw.in", ChunkRecord.of(new ChunkMetadata("e", 0, true,
                    0, 1000, 1, RawFramesChunkProcessor.FORMAT, 1000, 1000, -1), RawFramesChunkProcessor.encode(big))));
        }

        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(
                UpscaleJob.jobConfiguration(params));
        UpscaleJob.build(env, params, UpscaleJob.kafkaSource(params), ChunkSinks.kafka(params),
                new RawFramesChunkProcessor());
        JobClient job = env.executeAsync("raw-test");
        List<ConsumerRecord<byte[], byte[]>> out;
        List<ConsumerRecord<byte[], byte[]>> dead;
        try {
            out = readCommitted("raw.out", 2 * chunksPerStream, Duration.ofSeconds(90));
            dead = readCommitted("raw.dead", 3, Duration.ofSeconds(30));
        } finally {
            job.cancel().get();
        }

        NearestNeighbourUpscaler reference = new NearestNeighbourUpscaler(2);
        Map<String, List<Long>> sequences = new HashMap<>();
        for (ConsumerRecord<byte[], byte[]> r : out) {
            ChunkRecord chunk = ChunkRecordCodec.fromConsumerRecord(r);
            sequences.computeIfAbsent(chunk.streamId(), k -> new ArrayList<>()).add(chunk.sequence());
            List<RgbImage> expected = reference.upscale(inputs.get(chunk.streamId()).get((int) chunk.sequence()));
            assertEquals(expected, RawFramesChunkProcessor.decode(chunk.payload()), chunk.toString());
            assertEquals(expected.size(), chunk.frameCount());
            assertEquals(chunk.sequence() == chunksPerStream - 1, chunk.last());
            assertEquals(chunk.sequence() * 1000L, chunk.metadata().startPtsMicros());
            assertEquals(2 * inputs.get(chunk.streamId()).get(0).get(0).width(), chunk.metadata().width());
        }
        List<Long> all = List.of(0L, 1L, 2L, 3L, 4L, 5L);
        assertEquals(Map.of("a", all, "b", all), sequences, "each chunk once, in order, per stream");

        assertEquals(3, dead.size(), "every bad record is dead-lettered");
        Map<String, String> errors = new HashMap<>();
        for (ConsumerRecord<byte[], byte[]> r : dead) {
            errors.put(new String(r.key(), StandardCharsets.UTF_8), ChunkRecordCodec.optional(r.headers(), ChunkHeaders.ERROR));
        }
        assertTrue(errors.get("c").contains("malformed input record") && errors.get("c").contains("is missing"),
                errors.toString());
        assertTrue(errors.get("d").contains("raw chunk of 3 bytes has no header"), errors.toString());
        assertTrue(errors.get("e").startsWith("upscaled chunk is 12000012 bytes, more than the 8388608-byte record"
                + " limit"), errors.toString());
    }

    /**
     * Fails the job once, on the first attempt at chunk 4, once chunks 0..3 are in the output topic's log but
     * their transaction is still open (no checkpoint has completed yet).
     */
    static final class FailOnceProcessor implements org.oisrstream.operators.upscale.ChunkProcessor {
        static final java.util.concurrent.atomic.AtomicInteger FAILURES = new java.util.concurrent.atomic.AtomicInteger();
        static final java.util.concurrent.atomic.AtomicInteger ATTEMPTS_AT_4 = new java.util.concurrent.atomic.AtomicInteger();
        private final RawFramesChunkProcessor raw = new RawFramesChunkProcessor();

        @Override
        public ChunkRecord process(ChunkRecord input, org.oisrstream.operators.upscale.FrameUpscaler frames)
                throws Exception {
            if (input.sequence() == 4 && ATTEMPTS_AT_4.incrementAndGet() == 1) {
                int written = readUncommitted("crash.out", 4, Duration.ofSeconds(30)).size();
                if (written < 4) {
                    throw new IllegalStateException("chunks 0..3 never reached the output log: " + written);
                }
                FAILURES.incrementAndGet();
                throw new InternalError("simulated native crash");
            }
            return raw.process(input, frames);
        }
    }

    @Test
    void afterACrashAndRestartTheCommittedOutputHoldsEachChunkOnce() throws Exception {
        UpscaleJobParameters params = UpscaleJobParameters.builder()
                .bootstrapServers(kafka.bootstrapServers())
                .inputTopic("crash.in").outputTopic("crash.out").deadLetterTopic("crash.dead")
                .groupId("crash-test").transactionalIdPrefix("crash-test")
                .checkpointInterval(Duration.ofSeconds(4))
                .parallelism(1)
                .upscaler(UpscalerSpec.of("nearest", 2))
                .chunksInFlight(1).framesInFlight(4)
                .maxRecordBytes(8 * 1024 * 1024)
                .build();
        ChunkTopics.ensure(kafka.bootstrapServers(), List.of("crash.in", "crash.out", "crash.dead"), 1, (short) 1,
                params.upscale().maxRecordBytes());
        Random rnd = new Random(11);
        int chunks = 8;
        try (var producer = new KafkaProducer<byte[], byte[]>(ChunkTopics.producerProperties(
                kafka.bootstrapServers(), params.upscale().maxRecordBytes()))) {
            for (int seq = 0; seq < chunks; seq++) {
                List<RgbImage> chunk = frames(rnd, 8, 6, 2);
                producer.send(ChunkRecordCodec.toProducerRecord("crash.in", ChunkRecord.of(new ChunkMetadata("x", seq,
                        seq == chunks - 1, seq * 1000L, 1000L, 2, RawFramesChunkProcessor.FORMAT, 8, 6, -1),
                        RawFramesChunkProcessor.encode(chunk))));
            }
        }
        var conf = UpscaleJob.jobConfiguration(params);
        conf.set(org.apache.flink.configuration.RestartStrategyOptions.RESTART_STRATEGY, "fixed-delay");
        conf.set(org.apache.flink.configuration.RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_DELAY,
                Duration.ofMillis(200));
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        UpscaleJob.build(env, params, UpscaleJob.kafkaSource(params), ChunkSinks.kafka(params),
                new FailOnceProcessor());
        JobClient job = env.executeAsync("crash-test");
        List<ConsumerRecord<byte[], byte[]>> out;
        try {
            out = readCommitted("crash.out", chunks, Duration.ofSeconds(90));
        } finally {
            job.cancel().get();
        }
        assertEquals(1, FailOnceProcessor.FAILURES.get(), "the job crashed once");
        assertTrue(FailOnceProcessor.ATTEMPTS_AT_4.get() >= 2, "chunk 4 was processed again after the restart");
        List<Long> sequences = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> r : out) {
            sequences.add(ChunkRecordCodec.fromConsumerRecord(r).sequence());
        }
        assertEquals(List.of(0L, 1L, 2L, 3L, 4L, 5L, 6L, 7L), sequences,
                "read_committed sees every chunk exactly once, in order, across the restart");
        assertTrue(readCommitted("crash.dead", 0, Duration.ofMillis(200)).isEmpty(), "no dead letters");
        // The first attempt's copies of chunks 0..3 are in the log, in an aborted transaction.
        assertTrue(readUncommitted("crash.out", chunks + 4, Duration.ofSeconds(5)).size() >= chunks + 4,
                "the aborted first attempt left its records in the log");
    }

    /** Reads a topic from the start with read_committed until {@code expected} records arrived (or time is up). */
    static List<ConsumerRecord<byte[], byte[]>> readCommitted(String topic, int expected, Duration timeout) {
        return read(topic, expected, timeout, "read_committed");
    }

    static List<ConsumerRecord<byte[], byte[]>> readUncommitted(String topic, int expected, Duration timeout) {
        return read(topic, expected, timeout, "read_uncommitted");
    }

    private static List<ConsumerRecord<byte[], byte[]>> read(String topic, int expected, Duration timeout,
                                                             String isolation) {
        return TopicReader.read(kafka.bootstrapServers(), topic, expected, timeout, isolation, 8 * 1024 * 1024);
    }
}
