package org.oisrstream.jobs.upscale;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
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
import org.junit.jupiter.api.io.TempDir;
import org.oisrstream.jobs.assemble.StreamAssembler;
import org.oisrstream.jobs.kafka.ChunkTopics;
import org.oisrstream.jobs.kafka.EmbeddedKafka;
import org.oisrstream.jobs.upscale.sinks.ChunkSinks;
import org.oisrstream.model.infer.NearestNeighbourUpscaler;
import org.oisrstream.operators.infer.UpscalerSpec;
import org.oisrstream.operators.kafka.ChunkHeaders;
import org.oisrstream.operators.kafka.ChunkRecord;
import org.oisrstream.operators.kafka.ChunkRecordCodec;
import org.oisrstream.operators.media.ChunkMetadata;
import org.oisrstream.operators.media.ChunkTranscoder;
import org.oisrstream.operators.media.DecodeLimits;
import org.oisrstream.operators.media.EncoderSettings;
import org.oisrstream.operators.media.HostileChunks;
import org.oisrstream.operators.media.MediaChunk;
import org.oisrstream.operators.media.MediaException;
import org.oisrstream.operators.media.SegmenterOptions;
import org.oisrstream.operators.media.TestClips;
import org.oisrstream.operators.media.VideoSegmenter;

/**
 * Records an attacker could write to the topics, with headers copied from genuine chunks: the job (on a
 * MiniCluster, through Kafka) dead-letters every hostile chunk and every chunk over the decoding limits with a
 * reason, and upscales the genuine one; the assembler refuses hostile output chunks. No file is read, the
 * loopback server sees no request, and nothing but the genuine chunk reaches the output topic.
 */
class HostileChunkJobTest {

    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setNumberTaskManagers(1).setNumberSlotsPerTaskManager(1).build());

    private static final int MAX_RECORD = 8 * 1024 * 1024;

    @TempDir
    static Path dir;

    private static EmbeddedKafka kafka;
    private static HttpServer server;
    private static final List<String> requests = new CopyOnWriteArrayList<>();
    private static String loopback;
    private static byte[] secret;

    @BeforeAll
    static void start() throws Exception {
        kafka = EmbeddedKafka.start(MAX_RECORD, Map.of());
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            requests.add(exchange.getRequestMethod() + " " + exchange.getRequestURI());
            exchange.sendResponseHeaders(200, secret.length);
            exchange.getResponseBody().write(secret);
            exchange.close();
        });
        server.start();
        loopback = "http://127.0.0.1:" + server.getAddress().getPort() + "/";
        // The secret: a real MPEG-TS video (80x60, 12 frames) that a demuxer reaching it could hand back.
        MediaChunk secretChunk = cut("secret", 80, 60, 12, 1).get(0);
        secret = new ChunkTranscoder(EncoderSettings.defaults())
                .transcode(secretChunk.data(), "secret", new NearestNeighbourUpscaler(1)).data();
        Files.write(dir.resolve("secret.ts"), secret);
    }

    @AfterAll
    static void stop() {
        server.stop(0);
        kafka.close();
    }

    private static List<MediaChunk> cut(String name, int width, int height, int frames, double chunkSeconds) {
        TestClips.Clip clip = TestClips.write(dir.resolve(name + ".mkv"),
                TestClips.ClipSpec.of(width, height, frames, 30).withAudio(false));
        List<MediaChunk> chunks = new ArrayList<>();
        try (VideoSegmenter s = VideoSegmenter.open(clip.path().toString(),
                SegmenterOptions.defaults().withChunkSeconds(chunkSeconds))) {
            s.forEachRemaining(chunks::add);
        }
        return chunks;
    }

    private static ChunkMetadata header(String stream, MediaChunk chunk, int width, int height) {
        return new ChunkMetadata(stream, 0, true, 0, chunk.durationMicros(), chunk.frameCount(), "matroska", width,
                height, chunk.frameCount());
    }

    private static Map<String, byte[]> hostile() throws Exception {
        try (DatagramSocket udp = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            return HostileChunks.all(dir, loopback, udp.getLocalPort());
        }
    }

    @Test
    void jobDeadLettersHostileAndOversizedChunksWithAReasonAndUpscalesTheGenuineOne() throws Exception {
        DecodeLimits limits = DecodeLimits.builder().maxWidth(100).maxFramesPerChunk(20)
                .maxDecodedBytesPerChunk(150_000).build();
        UpscaleJobParameters params = UpscaleJobParameters.builder()
                .bootstrapServers(kafka.bootstrapServers())
                .inputTopic("hostile.in").outputTopic("hostile.out").deadLetterTopic("hostile.dead")
                .groupId("hostile").transactionalIdPrefix("hostile")
                .checkpointInterval(Duration.ofMillis(500)).parallelism(1)
                .upscaler(UpscalerSpec.of("nearest", 2)).chunksInFlight(1).framesInFlight(4)
                .maxRecordBytes(MAX_RECORD).limits(limits).build();
        ChunkTopics.ensure(kafka.bootstrapServers(), List.of("hostile.in", "hostile.out", "hostile.dead"), 1,
                (short) 1, MAX_RECORD);

        MediaChunk genuine = cut("genuine", 64, 48, 15, 1).get(0); // 15 frames: 138 KB decoded
        MediaChunk wide = cut("wide", 128, 96, 6, 1).get(0);
        MediaChunk many = cut("many", 64, 48, 30, 2).get(0);       // 30 frames in one chunk
        MediaChunk heavy = cut("heavy", 96, 64, 10, 1).get(0);     // 10 x 18,432 bytes decoded
        assertEquals(30, many.frameCount());
        Map<String, String> expectedReasons = new LinkedHashMap<>();
        try (var producer = new KafkaProducer<byte[], byte[]>(
                ChunkTopics.producerProperties(kafka.bootstrapServers(), MAX_RECORD))) {
            for (var e : hostile().entrySet()) {
                // Headers copied from the genuine chunk: only the bytes are the attacker's.
                producer.send(ChunkRecordCodec.toProducerRecord("hostile.in",
                        ChunkRecord.of(header(e.getKey(), genuine, 64, 48), e.getValue())));
                expectedReasons.put(e.getKey(), "not a readable Matroska chunk");
            }
            producer.send(ChunkRecordCodec.toProducerRecord("hostile.in",
                    ChunkRecord.of(header("too-wide", wide, 64, 48), wide.data())));
            expectedReasons.put("too-wide", "128x96 video, over the decoding limit of 100x");
            ChunkMetadata lying = new ChunkMetadata("too-many-frames", 0, true, 0, 500_000, 10, "matroska", 64, 48, 30);
            producer.send(ChunkRecordCodec.toProducerRecord("hostile.in", ChunkRecord.of(lying, many.data())));
            expectedReasons.put("too-many-frames", "more than the limit of 20 per chunk");
            producer.send(ChunkRecordCodec.toProducerRecord("hostile.in",
                    ChunkRecord.of(header("too-many-bytes", heavy, 96, 64), heavy.data())));
            expectedReasons.put("too-many-bytes", "more than the limit of 150000 bytes per chunk");
            producer.send(ChunkRecordCodec.toProducerRecord("hostile.in",
                    ChunkRecord.of(header("genuine", genuine, 64, 48), genuine.data())));
        }

        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(
                UpscaleJob.jobConfiguration(params));
        UpscaleJob.build(env, params, UpscaleJob.kafkaSource(params), ChunkSinks.kafka(params),
                params.chunkProcessor());
        JobClient job = env.executeAsync("hostile-test");
        List<ConsumerRecord<byte[], byte[]>> out;
        List<ConsumerRecord<byte[], byte[]>> dead;
        try {
            out = readCommitted("hostile.out", 1, Duration.ofSeconds(120));
            dead = readCommitted("hostile.dead", expectedReasons.size(), Duration.ofSeconds(60));
        } finally {
            job.cancel().get();
        }

        Map<String, String> reasons = new TreeMap<>();
        for (ConsumerRecord<byte[], byte[]> r : dead) {
            reasons.put(new String(r.key(), StandardCharsets.UTF_8), ChunkRecordCodec.optional(r.headers(), ChunkHeaders.ERROR));
        }
        assertEquals(new TreeMap<>(expectedReasons).keySet(), reasons.keySet(), "every one dead-lettered: " + reasons);
        expectedReasons.forEach((stream, reason) -> {
            assertTrue(reasons.get(stream).contains(reason), stream + ": " + reasons.get(stream));
            assertFalse(reasons.get(stream).contains("\n"), reasons.get(stream));
        });
        assertEquals(1, out.size(), "only the genuine chunk is upscaled");
        ChunkRecord upscaled = ChunkRecordCodec.fromConsumerRecord(out.get(0));
        assertEquals("genuine", upscaled.streamId());
        assertEquals(15, upscaled.frameCount());
        assertEquals(128, upscaled.metadata().width());
        assertEquals(List.of(), requests, "the loopback server saw no request");
    }

    @Test
    void assemblerRefusesHostileOutputChunksAndWritesNoFile() throws Exception {
        ChunkTopics.ensure(kafka.bootstrapServers(), List.of("hostile.assemble"), 1, (short) 1, MAX_RECORD);
        MediaChunk input = cut("first", 64, 48, 15, 1).get(0);
        byte[] firstOut = new ChunkTranscoder(EncoderSettings.defaults())
                .transcode(input.data(), "first", new NearestNeighbourUpscaler(2)).data();
        Map<String, byte[]> kinds = hostile();
        try (var producer = new KafkaProducer<byte[], byte[]>(
                ChunkTopics.producerProperties(kafka.bootstrapServers(), MAX_RECORD))) {
            for (var e : kinds.entrySet()) {
                producer.send(ChunkRecordCodec.toProducerRecord("hostile.assemble", ChunkRecord.of(new ChunkMetadata(
                        e.getKey(), 0, false, 0, 500_000, 15, "mpegts", 128, 96, 30), firstOut)));
                producer.send(ChunkRecordCodec.toProducerRecord("hostile.assemble", ChunkRecord.of(new ChunkMetadata(
                        e.getKey(), 1, true, 500_000, 500_000, 15, "mpegts", 128, 96, 30), e.getValue())));
            }
        }
        for (String kind : kinds.keySet()) {
            Path output = dir.resolve("assembled-" + kind + ".mp4");
            MediaException e = assertThrows(MediaException.class, () -> new StreamAssembler(new StreamAssembler.Request(
                    kafka.bootstrapServers(), "hostile.assemble", null, kind, output, Duration.ofSeconds(30),
                    MAX_RECORD), null, null).run(), kind);
            assertTrue(e.getMessage().contains("output chunk 1") && e.getMessage().contains("not a readable MPEG-TS chunk"),
                    kind + ": " + e.getMessage());
            assertFalse(Files.exists(output), kind + ": no output file");
        }
        try (var files = Files.list(dir)) {
            assertEquals(List.of(), files.filter(p -> p.getFileName().toString().contains("assembled-")).toList());
        }
        assertEquals(List.of(), requests, "the loopback server saw no request");
    }

    private static List<ConsumerRecord<byte[], byte[]>> readCommitted(String topic, int expected, Duration timeout) {
        return TopicReader.read(kafka.bootstrapServers(), topic, expected, timeout, "read_committed", MAX_RECORD);
    }
}
