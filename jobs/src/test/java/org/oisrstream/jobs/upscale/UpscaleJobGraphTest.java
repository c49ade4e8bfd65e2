package org.oisrstream.jobs.upscale;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;
import org.apache.flink.connector.datagen.functions.FromElementsGeneratorFunction;
import org.apache.flink.connector.datagen.source.DataGeneratorSource;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.oisrstream.operators.infer.UpscalerSpec;
import org.oisrstream.operators.kafka.ChunkHeaders;
import org.oisrstream.operators.kafka.ChunkRecord;
import org.oisrstream.operators.kafka.ChunkRecordCodec;
import org.oisrstream.operators.kafka.ChunkSerializationSchema;
import org.oisrstream.operators.kafka.TestChunks;
import org.oisrstream.operators.media.ChunkTranscoder;
import org.oisrstream.operators.media.DecodeLimits;
import org.oisrstream.operators.media.HostileChunks;
import org.oisrstream.operators.media.TestClips;

/**
 * The job's graph as {@link UpscaleJob#build} makes it, on a MiniCluster without Kafka: chunks cut from generated
 * clips come from memory, the real media processor upscales them (nearest neighbour from the registry), and a
 * collecting sink stands where the Kafka sink goes. Every chunk reaches the sink once, each stream in order,
 * upscaled or as a dead letter with its reason, and the Kafka record schema would route each to its topic.
 * (Exactly-once through Kafka is {@link UpscaleJobKafkaTest}'s.)
 */
class UpscaleJobGraphTest {

    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setNumberTaskManagers(1).setNumberSlotsPerTaskManager(1).build());

    @TempDir
    static Path dir;

    /** What the sink received: one sink instance per test run (parallelism 1). */
    private static final Queue<ChunkRecord> SUNK = new ConcurrentLinkedQueue<>();

    private static final class CollectingSink implements Sink<ChunkRecord> {
        @Override
        public SinkWriter<ChunkRecord> createWriter(WriterInitContext context) {
            return new SinkWriter<>() {
                @Override
                public void write(ChunkRecord chunk, Context context) {
                    SUNK.add(chunk);
                }

                @Override
                public void flush(boolean endOfInput) {
                }

                @Override
                public void close() {
                }
            };
        }
    }

    /** The records in memory, in this order, as a bounded source (what {@code env.fromData} builds). */
    private static DataGeneratorSource<ChunkRecord> inMemory(List<ChunkRecord> records) {
        TypeInformation<ChunkRecord> type = TypeInformation.of(ChunkRecord.class);
        return new DataGeneratorSource<>(new FromElementsGeneratorFunction<>(type, records.toArray(ChunkRecord[]::new)),
                records.size(), type);
    }

    private static List<ChunkRecord> cut(String stream, int width, int height, int frames, double chunkSeconds) {
        return TestChunks.cut(dir.resolve(stream + ".mkv"),
                TestClips.ClipSpec.of(width, height, frames, 30).withAudio(false), chunkSeconds, stream);
    }

    @Test
    void chunksComeOutUpscaledInOrderAndBadOnesAsDeadLettersWithTheirReason() throws Exception {
        List<ChunkRecord> a = cut("a", 64, 48, 45, 0.5);
        List<ChunkRecord> b = cut("b", 64, 48, 12, 1);
        ChunkRecord wide = cut("wide", 128, 96, 6, 1).get(0);
        assertEquals(3, a.size(), a.toString());
        ChunkRecord hostile = TestChunks.withPayload(b.get(0), "hostile",
                HostileChunks.concat(dir.resolve("secret.ts").toString()).getBytes(StandardCharsets.UTF_8));
        ChunkRecord notAChunk = TestChunks.withPayload(b.get(0), "garbage", new byte[] {1, 2, 3});
        List<ChunkRecord> input = List.of(a.get(0), hostile, b.get(0), a.get(1), wide, notAChunk, a.get(2));
        Map<String, String> reasons = Map.of("hostile", "not a readable Matroska chunk",
                "garbage", "not a readable Matroska chunk", "wide", "128x96 video, over the decoding limit of 100x");

        UpscaleJobParameters params = UpscaleJobParameters.builder()
                .bootstrapServers("unused:9092") // required by the parameters; source and sink here are in memory
                .parallelism(1).checkpointInterval(Duration.ofMillis(500))
                .upscaler(UpscalerSpec.of("nearest", 2)).chunksInFlight(2).framesInFlight(8)
                .limits(DecodeLimits.builder().maxWidth(100).build()).build();
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(
                UpscaleJob.jobConfiguration(params));
        SUNK.clear();
        UpscaleJob.build(env, params, inMemory(input), new CollectingSink(), params.chunkProcessor());
        env.execute("upscale-graph-test");

        List<ChunkRecord> sunk = new ArrayList<>(SUNK);
        assertEquals(input.size(), sunk.size(), "each chunk once: " + sunk);
        for (ChunkRecord in : input) {
            List<ChunkRecord> outs = sunk.stream()
                    .filter(o -> o.streamId().equals(in.streamId()) && o.sequence() == in.sequence()).toList();
            assertEquals(1, outs.size(), in + " -> " + outs);
            ChunkRecord out = outs.get(0);
            String topic = new ChunkSerializationSchema("out", "dead").serialize(out, null, null).topic();
            if (reasons.containsKey(in.streamId())) {
                assertTrue(out.failed(), out.toString());
                assertTrue(out.error().contains(reasons.get(in.streamId())), out.error());
                assertEquals(in.metadata(), out.metadata());
                assertArrayEquals(in.payload(), out.payload(), "the input, to inspect or replay");
                assertEquals("dead", topic);
                assertEquals(out.error(), ChunkRecordCodec.optional(
                        ChunkRecordCodec.toProducerRecord(topic, out).headers(), ChunkHeaders.ERROR));
            } else {
                assertNull(out.error(), out.toString());
                assertEquals(in.frameCount(), out.frameCount());
                assertEquals(ChunkTranscoder.OUTPUT_FORMAT, out.metadata().container());
                assertEquals(128, out.metadata().width());
                assertEquals(96, out.metadata().height());
                assertEquals(in.metadata().startPtsMicros(), out.metadata().startPtsMicros());
                assertFalse(java.util.Arrays.equals(in.payload(), out.payload()));
                assertEquals("out", topic);
            }
        }
        assertEquals(List.of(0L, 1L, 2L), sunk.stream().filter(o -> o.streamId().equals("a"))
                .map(ChunkRecord::sequence).toList(), "a stream's chunks reach the sink in sequence order");
    }
}
