package org.oisrstream.jobs.upscale;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.oisrstream.jobs.assemble.StreamAssembler;
import org.oisrstream.jobs.ingest.ChunkIngester;
import org.oisrstream.jobs.kafka.ChunkTopics;
import org.oisrstream.jobs.kafka.EmbeddedKafka;
import org.oisrstream.jobs.testing.VideoFiles;
import org.oisrstream.jobs.upscale.sinks.ChunkSinks;
import org.oisrstream.model.image.RgbImage;
import org.oisrstream.model.infer.NearestNeighbourUpscaler;
import org.oisrstream.model.quality.QualityMetrics;
import org.oisrstream.operators.infer.InferenceService;
import org.oisrstream.operators.infer.UpscalerSpec;
import org.oisrstream.operators.kafka.ChunkRecord;
import org.oisrstream.operators.kafka.ChunkRecordCodec;
import org.oisrstream.operators.media.EncoderSettings;
import org.oisrstream.operators.media.SegmenterOptions;
import org.oisrstream.operators.media.TestClips;

/**
 * The real pipeline on generated clips: ingest (segmenter) -> Kafka -> UpscaleJob on a MiniCluster (decode,
 * shared inference, encode) -> Kafka (exactly once) -> assemble (remux), two streams at once.
 */
class UpscalePipelineTest {

    private static final int MAX_RECORD = 8 * 1024 * 1024;

    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setNumberTaskManagers(1).setNumberSlotsPerTaskManager(2).build());

    private static EmbeddedKafka kafka;

    @TempDir
    static Path dir;

    @BeforeAll
    static void startKafka() {
        kafka = EmbeddedKafka.start(MAX_RECORD, Map.of());
    }

    @AfterAll
    static void stopKafka() {
        kafka.close();
    }

    @Test
    void twoConcurrentStreamsComeOutCompleteSeparateFaithfulAndExactlyOnce() throws Exception {
        // An odd size with constant frame rate, and a variable-frame-rate clip; both with AAC audio.
        TestClips.Clip odd = TestClips.write(dir.resolve("odd.mkv"), TestClips.ClipSpec.of(90, 54, 36, 12));
        TestClips.Clip vfr = TestClips.write(dir.resolve("vfr.mkv"),
                TestClips.ClipSpec.of(64, 48, 30, 15).withVariableFrameRate(true));

        UpscaleJobParameters params = UpscaleJobParameters.builder()
                .bootstrapServers(kafka.bootstrapServers())
                .inputTopic("it.in").outputTopic("it.out").deadLetterTopic("it.dead")
                .groupId("it").transactionalIdPrefix("it")
                .checkpointInterval(Duration.ofMillis(500))
                .checkpointDir(dir.resolve("checkpoints").toUri().toString())
                .parallelism(2)
                .upscaler(UpscalerSpec.of("nearest", 2))
                .encoder(EncoderSettings.highQuality())
                .chunksInFlight(2).framesInFlight(8)
                .maxRecordBytes(MAX_RECORD)
                .build();
        ChunkTopics.ensure(kafka.bootstrapServers(), List.of("it.in", "it.out", "it.dead"), 2, (short) 1, MAX_RECORD);

        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(
                UpscaleJob.jobConfiguration(params));
        UpscaleJob.build(env, params, UpscaleJob.kafkaSource(params), ChunkSinks.kafka(params),
                params.chunkProcessor());
        JobClient job = env.executeAsync("pipeline-test");
        Map<String, StreamAssembler.Result> results = new HashMap<>();
        Map<String, ChunkIngester.Result> ingested = new HashMap<>();
        try {
            var ingestOdd = CompletableFuture.supplyAsync(() -> ingest(odd.path(), "odd", params));
            var ingestVfr = CompletableFuture.supplyAsync(() -> ingest(vfr.path(), "vfr", params));
            var outOdd = CompletableFuture.supplyAsync(() -> assemble("odd", dir.resolve("odd-x2.mp4"), params));
            var outVfr = CompletableFuture.supplyAsync(() -> assemble("vfr", dir.resolve("vfr-x2.mkv"), params));
            ingested.put("odd", ingestOdd.join());
            ingested.put("vfr", ingestVfr.join());
            results.put("odd", outOdd.join());
            results.put("vfr", outVfr.join());
            // Both subtasks (parallelism 2) of the job lease the one inference service of this JVM.
            assertEquals(1, InferenceService.runningServices());
        } finally {
            job.cancel().get();
        }
        assertTrue(ingested.get("odd").chunks() >= 3, "the odd clip is cut into several chunks: " + ingested);
        assertTrue(ingested.get("vfr").chunks() >= 2, "the vfr clip is cut into several chunks: " + ingested);

        checkFaithful(odd, results.get("odd"));
        checkFaithful(vfr, results.get("vfr"));

        // Exactly once: with read_committed every chunk of every stream is in the output topic once.
        Map<String, List<Long>> sequences = new HashMap<>();
        for (ConsumerRecord<byte[], byte[]> r : readAll("it.out")) {
            ChunkRecord chunk = ChunkRecordCodec.fromConsumerRecord(r);
            sequences.computeIfAbsent(chunk.streamId(), k -> new ArrayList<>()).add(chunk.sequence());
        }
        for (String stream : List.of("odd", "vfr")) {
            List<Long> expected = new ArrayList<>();
            for (long s = 0; s < ingested.get(stream).chunks(); s++) {
                expected.add(s);
            }
            assertEquals(expected, sequences.get(stream), "stream " + stream + ": each chunk once, in order");
        }
        assertEquals(0, results.get("odd").duplicates() + results.get("vfr").duplicates());
        assertTrue(readAll("it.dead").isEmpty(), "no dead letters");
    }

    @Test
    void assemblerDropsDuplicatesAndStopsOnDeadLettersAndIngestRefusesOversizedChunks() throws Exception {
        TestClips.Clip clip = TestClips.write(dir.resolve("dup.mkv"), TestClips.ClipSpec.of(40, 30, 24, 12));
        ChunkTopics.ensure(kafka.bootstrapServers(), List.of("dup.out", "dup.dead"), 1, (short) 1, MAX_RECORD);
        // The same stream ingested twice: every chunk arrives twice. Input chunks assemble as well as output ones.
        var target = new ChunkIngester.Target(kafka.bootstrapServers(), "dup.out", "twice", MAX_RECORD);
        ChunkIngester.Result first = ChunkIngester.ingest(clip.path().toString(),
                SegmenterOptions.defaults().withChunkSeconds(1.0), target);
        ChunkIngester.ingest(clip.path().toString(), SegmenterOptions.defaults().withChunkSeconds(1.0), target);
        List<Long> seen = new ArrayList<>();
        StreamAssembler.Result twice = new StreamAssembler(new StreamAssembler.Request(kafka.bootstrapServers(),
                "dup.out", "dup.dead", "twice", dir.resolve("twice.mkv"), Duration.ofSeconds(30), MAX_RECORD),
                chunk -> seen.add(chunk.sequence()), null).run();
        assertEquals(first.chunks(), twice.chunks());
        assertEquals(24, twice.file().videoFrames());
        assertTrue(twice.duplicates() >= 1, "duplicates dropped: " + twice.duplicates());
        assertEquals(first.chunks(), seen.size(), "each sequence reported once: " + seen);
        assertEquals(24, VideoFiles.decode(twice.file().path()).frames().size());

        // A dead letter of the stream ends the wait with its reason.
        try (var producer = new org.apache.kafka.clients.producer.KafkaProducer<byte[], byte[]>(
                ChunkTopics.producerProperties(kafka.bootstrapServers(), MAX_RECORD))) {
            producer.send(ChunkRecordCodec.toProducerRecord("dup.dead", ChunkRecord.of(
                    new org.oisrstream.operators.media.ChunkMetadata("ghost", 3, false, 0, 0, 1, "matroska", 4, 4, -1),
                    new byte[] {0}).withError("decoder said no"))).get();
        }
        IllegalStateException dead = org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class,
                () -> new StreamAssembler(new StreamAssembler.Request(kafka.bootstrapServers(), "dup.out", "dup.dead",
                        "ghost", dir.resolve("ghost.mp4"), Duration.ofSeconds(30), MAX_RECORD), null, null).run());
        assertEquals("chunk 3 of stream ghost failed: decoder said no", dead.getMessage());
        assertTrue(!java.nio.file.Files.exists(dir.resolve("ghost.mp4")));

        // A chunk larger than the record limit stops the ingest with the sizes, never silently.
        IllegalStateException tooBig = org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class,
                () -> ChunkIngester.ingest(clip.path().toString(), SegmenterOptions.defaults().withChunkSeconds(1.0),
                        new ChunkIngester.Target(kafka.bootstrapServers(), "dup.out", "big", 17 * 1024)));
        assertTrue(tooBig.getMessage().startsWith("chunk 0 of stream big is ")
                && tooBig.getMessage().contains("more than the 17408-byte record limit"), tooBig.getMessage());
    }

    /** Same frames (nearest x2 of the decoded input, up to encoding loss), same times, audio kept. */
    private static void checkFaithful(TestClips.Clip clip, StreamAssembler.Result result) {
        try {
            VideoFiles.Decoded in = VideoFiles.decode(clip.path());
            VideoFiles.Decoded out = VideoFiles.decode(result.file().path());
            String name = clip.path().getFileName().toString();
            assertEquals(clip.spec().frames(), in.frames().size(), name + ": input frames");
            assertEquals(in.frames().size(), out.frames().size(), name + ": output frames");
            assertEquals(in.frames().size(), result.frames(), name + ": frames counted by the assembler");
            assertEquals(2 * in.width(), out.width(), name + ": width");
            assertEquals(2 * in.height(), out.height(), name + ": height");
            long frame = in.longestFrameMicros();
            assertTrue(Math.abs(in.durationMicros() - out.durationMicros()) <= frame,
                    name + ": duration " + out.durationMicros() + " vs " + in.durationMicros());
            for (int i = 0; i < in.ptsMicros().size(); i++) {
                assertTrue(Math.abs(in.ptsMicros().get(i) - out.ptsMicros().get(i)) <= 1000,
                        name + ": frame " + i + " at " + out.ptsMicros().get(i) + " us, input at " + in.ptsMicros().get(i));
            }
            assertTrue(in.hasAudio() && out.hasAudio(), name + ": audio kept");
            assertTrue(Math.abs(in.audioSamples() - out.audioSamples()) <= 2048,
                    name + ": audio samples " + out.audioSamples() + " vs " + in.audioSamples());
            NearestNeighbourUpscaler reference = new NearestNeighbourUpscaler(2);
            double worst = Double.POSITIVE_INFINITY;
            for (int i = 0; i < in.frames().size(); i++) {
                RgbImage expected = reference.upscale(in.frames().get(i));
                worst = Math.min(worst, QualityMetrics.psnrRgb(expected, out.frames().get(i)));
            }
            System.out.printf("%s: %d frames, worst frame PSNR %.2f dB%n", name, out.frames().size(), worst);
            assertTrue(worst >= 40, name + ": worst frame PSNR " + worst + " dB");
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static ChunkIngester.Result ingest(Path clip, String stream, UpscaleJobParameters params) {
        return ChunkIngester.ingest(clip.toString(), SegmenterOptions.defaults().withChunkSeconds(1.0),
                new ChunkIngester.Target(kafka.bootstrapServers(), params.inputTopic(), stream, MAX_RECORD));
    }

    private static StreamAssembler.Result assemble(String stream, Path output, UpscaleJobParameters params) {
        return new StreamAssembler(new StreamAssembler.Request(kafka.bootstrapServers(), params.outputTopic(),
                params.deadLetterTopic(), stream, output, Duration.ofSeconds(90), MAX_RECORD), null, null).run();
    }

    private static List<ConsumerRecord<byte[], byte[]>> readAll(String topic) {
        List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
        try (var consumer = new KafkaConsumer<byte[], byte[]>(
                ChunkTopics.consumerProperties(kafka.bootstrapServers(), null, MAX_RECORD))) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (System.nanoTime() < deadline
                    && partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
            }
        }
        records.sort((a, b) -> a.partition() != b.partition() ? Integer.compare(a.partition(), b.partition())
                : Long.compare(a.offset(), b.offset()));
        return records;
    }
}
