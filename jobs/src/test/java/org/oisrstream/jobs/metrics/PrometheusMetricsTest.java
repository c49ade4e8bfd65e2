package org.oisrstream.jobs.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.oisrstream.jobs.ingest.ChunkIngester;
import org.oisrstream.jobs.kafka.ChunkTopics;
import org.oisrstream.jobs.kafka.EmbeddedKafka;
import org.oisrstream.jobs.upscale.UpscaleJob;
import org.oisrstream.jobs.upscale.UpscaleJobParameters;
import org.oisrstream.operators.infer.UpscalerSpec;
import org.oisrstream.operators.kafka.ChunkRecord;
import org.oisrstream.operators.kafka.ChunkRecordCodec;
import org.oisrstream.operators.media.ChunkMetadata;
import org.oisrstream.operators.media.SegmenterOptions;
import org.oisrstream.operators.media.TestClips;

/**
 * The job's metrics reach Flink's Prometheus reporter on a MiniCluster (what {@code oisr job --metrics-port} and
 * {@code oisr upscale --metrics-port} set up): the test scrapes the endpoint while the job runs and sees the
 * frame rate, the chunk latency and the dead-letter counter change.
 */
public class PrometheusMetricsTest {

    private static final String P = "flink_taskmanager_job_task_operator_";

    @TempDir
    Path dir;

    @Test
    void scrapesFramesPerSecondChunkLatencyAndDeadLettersWhileTheJobRuns() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Path clip = TestClips.write(dir.resolve("clip.mkv"), TestClips.ClipSpec.of(64, 36, 40, 10).withAudio(false)).path();
        try (EmbeddedKafka kafka = EmbeddedKafka.start(8 << 20, Map.of())) {
            UpscaleJobParameters params = UpscaleJobParameters.builder().bootstrapServers(kafka.bootstrapServers())
                    .inputTopic("m.in").outputTopic("m.out").deadLetterTopic("m.dead").groupId("m").transactionalIdPrefix("m")
                    .checkpointInterval(Duration.ofMillis(300)).parallelism(1)
                    .upscaler(UpscalerSpec.of("nearest", 2)).maxRecordBytes(8 << 20).build();
            ChunkTopics.ensure(kafka.bootstrapServers(), List.of("m.in", "m.out", "m.dead"), 1, (short) 1, 8 << 20);
            Configuration conf = PrometheusMetrics.configure(UpscaleJob.jobConfiguration(params), Integer.toString(port));
            JobClient job = UpscaleJob.start(StreamExecutionEnvironment.createLocalEnvironment(1, conf), params);
            try {
                URI endpoint = URI.create("http://127.0.0.1:" + port + "/metrics");
                HttpClient http = HttpClient.newHttpClient();
                // The operator's metrics appear, all at zero, once it runs.
                String before = await(http, endpoint, t -> value(t, P + "chunksUpscaled").isPresent(), "operator metrics");
                assertEquals(0.0, value(before, P + "chunksUpscaled").getAsDouble());
                assertEquals(0.0, value(before, P + "chunksDeadLettered").getAsDouble());
                assertEquals(0.0, value(before, P + "framesPerSecond").getAsDouble());
                assertEquals(0.0, value(before, P + "chunkLatencyMs_count").getAsDouble());

                var target = new ChunkIngester.Target(kafka.bootstrapServers(), "m.in", "good", 8 << 20);
                ChunkIngester.Result in = ChunkIngester.ingest(clip.toString(),
                        SegmenterOptions.defaults().withChunkSeconds(1), target);
                String during = await(http, endpoint, t -> value(t, P + "chunksUpscaled").orElse(0) >= in.chunks()
                        && value(t, P + "framesPerSecond").orElse(0) > 0, "chunks upscaled");
                assertEquals(in.frames(), value(during, P + "framesUpscaled").getAsDouble());
                assertTrue(value(during, P + "chunkLatencyMs_count").getAsDouble() >= in.chunks(), during);
                assertTrue(value(during, P + "chunkLatencyMs", "quantile=\"0.5\"").getAsDouble() >= 0, during);
                assertTrue(value(during, P + "inferenceBatchSize_count").getAsDouble() > 0, during);
                assertTrue(value(during, P + "framesInFlight").isPresent(), during);
                assertEquals(0.0, value(during, P + "chunksDeadLettered").getAsDouble());

                try (var producer = new KafkaProducer<byte[], byte[]>(ChunkTopics.producerProperties(
                        kafka.bootstrapServers(), 8 << 20))) {
                    producer.send(ChunkRecordCodec.toProducerRecord("m.in", ChunkRecord.of(new ChunkMetadata("bad", 0, true,
                            0, 1_000_000, 10, "matroska", 64, 36, -1), "not a video".getBytes(StandardCharsets.UTF_8)))).get();
                }
                String after = await(http, endpoint, t -> value(t, P + "chunksDeadLettered").orElse(0) >= 1, "dead letter");
                assertEquals(1.0, value(after, P + "chunksDeadLettered").getAsDouble());
                // Every metric the shipped Grafana dashboard queries is one the job exports.
                String dashboard = java.nio.file.Files.readString(Path.of("..", "deploy", "grafana", "oisr-stream.json"));
                var names = java.util.regex.Pattern.compile(P + "(\\w+)").matcher(dashboard).results()
                        .map(m -> m.group()).distinct().toList();
                assertTrue(names.size() >= 8, "dashboard metrics: " + names);
                for (String name : names) {
                    assertTrue(value(after, name).isPresent() || value(after, name + "_count").isPresent(),
                            "the dashboard's " + name + " is not exported");
                }
                System.out.println("scraped " + endpoint + ":\n" + after.lines().filter(l -> l.startsWith(P)
                        && !l.contains("quantile=\"0.75\"") && !l.contains("0.98") && !l.contains("0.999"))
                        .map(l -> l.replaceAll("\\{.*}", "{...}")).distinct().reduce("", (a, b) -> a + b + "\n"));
            } finally {
                job.cancel().get();
            }
        }
    }

    private static String await(HttpClient http, URI endpoint, java.util.function.Predicate<String> done, String what)
            throws Exception {
        long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
        String last = "";
        while (System.nanoTime() < deadline) {
            try {
                last = http.send(HttpRequest.newBuilder(endpoint).timeout(Duration.ofSeconds(10)).GET().build(),
                        HttpResponse.BodyHandlers.ofString()).body();
                if (done.test(last)) {
                    return last;
                }
            } catch (java.io.IOException e) {
                last = e.toString();
            }
            Thread.sleep(300);
        }
        throw new AssertionError("timed out waiting for " + what + " on " + endpoint + "; last scrape:\n" + last);
    }

    /** The sum of a metric's samples (over label sets), restricted to samples whose labels contain {@code label}. */
    public static OptionalDouble value(String scrape, String name, String... label) {
        double sum = 0;
        boolean found = false;
        for (String line : scrape.lines().toList()) {
            if (!line.startsWith(name + "{") && !line.startsWith(name + " ")) {
                continue;
            }
            if (label.length > 0 && !line.contains(label[0])) {
                continue;
            }
            sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            found = true;
        }
        return found ? OptionalDouble.of(sum) : OptionalDouble.empty();
    }
}
