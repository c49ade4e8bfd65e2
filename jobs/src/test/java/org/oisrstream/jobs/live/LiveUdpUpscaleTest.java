package org.oisrstream.jobs.live;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.oisrstream.jobs.local.LiveSettings;
import org.oisrstream.jobs.local.LocalUpscale;
import org.oisrstream.jobs.upscale.UpscaleJobParameters;
import org.oisrstream.operators.infer.UpscalerSpec;
import org.oisrstream.operators.kafka.ChunkRecord;
import org.oisrstream.operators.media.MediaException;

/**
 * A live UDP MPEG-TS source, published in real time by the test, upscaled by the local pipeline
 * ({@link LocalUpscale}: embedded Kafka, Flink MiniCluster) into HLS while it plays; and bad live inputs.
 */
class LiveUdpUpscaleTest {

    private static final int FPS = 10;

    @TempDir
    Path dir;

    @Test
    void upscalesALiveUdpSourceIntoAGrowingPlaylistAndMeasuresLatency() throws Exception {
        LivePublisher publisher = new LivePublisher(128, 72, 180 * FPS, FPS, LivePublisher.freeUdpPort());
        Path hlsDir = dir.resolve("hls");
        LiveHlsOutput hls = new LiveHlsOutput(hlsDir, "nearest", 2, 1);
        int metricsPort;
        try (java.net.ServerSocket free = new java.net.ServerSocket(0)) {
            metricsPort = free.getLocalPort();
        }
        LiveSettings live = LiveSettings.defaults().withSourceTimeout(Duration.ofSeconds(3))
                .withCheckpointInterval(Duration.ofMillis(200)).withMetricsPort(Integer.toString(metricsPort));
        LocalUpscale.Request request = new LocalUpscale.Request(publisher.url(), dir.resolve("out.ts"),
                UpscaleJobParameters.builder().upscaler(UpscalerSpec.of("nearest", 2)), null, 1,
                Duration.ofMinutes(3), live);
        // The source plays from now on (up to 3 minutes; the test stops it once 20 segments are listed); the
        // pipeline opens it once its job runs and joins at the next keyframe.
        CompletableFuture<LocalUpscale.Result> run = CompletableFuture.supplyAsync(() -> {
            try {
                return LocalUpscale.run(request, new LocalUpscale.Listener() {
                    @Override
                    public void started(org.oisrstream.operators.media.SourceInfo source) {
                        log(publisher, "pipeline started, ingest begins");
                    }

                    @Override
                    public void chunkIngested(ChunkRecord chunk) {
                        log(publisher, "ingested chunk " + chunk.sequence());
                        hls.sourceChunk(chunk);
                    }

                    @Override
                    public void chunkUpscaled(ChunkRecord chunk) {
                        log(publisher, "upscaled chunk " + chunk.sequence());
                        hls.upscaledChunk(chunk);
                    }
                });
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        CompletableFuture<Void> publishing = publisher.startAsync();
        Path playlist = hlsDir.resolve(LiveHlsOutput.UPSCALED).resolve(HlsPlaylistWriter.PLAYLIST);
        TreeSet<Integer> countsWhilePlaying = new TreeSet<>();
        TreeSet<Double> chunksUpscaledScraped = new TreeSet<>();
        var http = java.net.http.HttpClient.newHttpClient();
        var scrape = java.net.http.HttpRequest.newBuilder(
                java.net.URI.create("http://127.0.0.1:" + metricsPort + "/metrics")).timeout(Duration.ofSeconds(5)).build();
        while (!publishing.isDone()) {
            int count = countSegments(Files.readString(playlist));
            countsWhilePlaying.add(count);
            if (count >= 20) {
                publisher.stop(); // the camera goes away: the stream must end cleanly after the source timeout
            }
            if (count > 0) {
                // What `curl http://127.0.0.1:PORT/metrics` shows during `oisr upscale --metrics-port PORT`.
                String metrics = http.send(scrape, java.net.http.HttpResponse.BodyHandlers.ofString()).body();
                org.oisrstream.jobs.metrics.PrometheusMetricsTest.value(metrics,
                        "flink_taskmanager_job_task_operator_chunksUpscaled").ifPresent(chunksUpscaledScraped::add);
            }
            Thread.sleep(200);
        }
        publishing.get();
        LocalUpscale.Result result = run.get(3, TimeUnit.MINUTES);
        hls.close();

        String text = Files.readString(playlist);
        List<HlsSegment> segments = hls.upscaledSegments();
        // Grew while the source played: the playlist had at least two different non-zero lengths before it ended.
        assertTrue(countsWhilePlaying.tailSet(1).size() >= 2,
                "upscaled playlist lengths seen while the source played: " + countsWhilePlaying);
        assertTrue(chunksUpscaledScraped.size() >= 2, "chunksUpscaled scraped during the run: " + chunksUpscaledScraped);
        assertTrue(text.contains("#EXT-X-PLAYLIST-TYPE:EVENT") && text.strip().endsWith("#EXT-X-ENDLIST"), text);
        assertFalse(text.contains("#EXT-X-DISCONTINUITY"), text);
        // In order, contiguous, every listed file there.
        for (int i = 0; i < segments.size(); i++) {
            HlsSegment s = segments.get(i);
            assertEquals(i, s.sequence());
            assertTrue(Files.size(playlist.resolveSibling(s.uri())) > 0, s.uri());
            if (i > 0) {
                assertEquals(segments.get(i - 1).endMicros(), s.startMicros(), 1_000, "segment " + i + " continues");
            }
        }
        assertEquals(segments.size(), hls.sourceSegments().size());
        assertEquals(result.chunks(), segments.size());
        // The pipeline joined the running source at a keyframe (every FPS frames) and kept every frame from there
        // to the end: the playlist covers that part of the source, within one frame per chunk.
        int received = segments.stream().mapToInt(HlsSegment::frames).sum();
        int joinedAt = (int) publisher.framesSent() - received;
        assertTrue(joinedAt >= 0 && joinedAt % FPS == 0 && received >= 5 * FPS,
                "received the last " + received + " of " + publisher.framesSent() + " frames");
        double listed = segments.stream().mapToLong(HlsSegment::durationMicros).sum() / 1e6;
        double frameSeconds = 1.0 / FPS;
        assertEquals(received * frameSeconds, listed, segments.size() * frameSeconds,
                "listed " + listed + " s for " + received + " frames of the source");

        // Latency: a segment's last frame was captured at start + (end - 1 frame); it became playable when listed.
        List<Long> latencies = new ArrayList<>();
        for (HlsSegment s : segments) {
            long captured = publisher.startMillis()
                    + Math.round(((double) joinedAt / FPS + s.endMicros() / 1e6 - frameSeconds) * 1000);
            latencies.add(s.playableAtMillis() - captured);
        }
        List<Long> steady = latencies.subList(latencies.size() / 2, latencies.size()).stream().sorted().toList();
        System.out.printf(Locale.ROOT, "LIVE LATENCY (capture of a segment's last frame -> listed in the upscaled"
                        + " playlist), 1 s chunks, 200 ms checkpoints, nearest x2, %dx%d@%d: all %s ms;"
                        + " second half min %d / median %d / max %d ms%n", publisher.width, publisher.height, FPS,
                latencies, steady.get(0), steady.get(steady.size() / 2), steady.get(steady.size() - 1));
        assertTrue(steady.get(0) > 0, "latency must be positive: " + latencies);
    }

    @Test
    void anAddressWithNothingBehindItFailsWithOneLineWithinTheTimeout() throws Exception {
        String url = "udp://127.0.0.1:" + LivePublisher.freeUdpPort();
        LocalUpscale.Request request = new LocalUpscale.Request(url, dir.resolve("out.ts"),
                UpscaleJobParameters.builder().upscaler(UpscalerSpec.of("nearest", 2)), null, 1,
                Duration.ofMinutes(1), LiveSettings.defaults().withSourceTimeout(Duration.ofSeconds(2)));
        long started = System.nanoTime();
        MediaException e = assertThrows(MediaException.class, () -> LocalUpscale.run(request, new LocalUpscale.Listener() {
        }));
        double seconds = (System.nanoTime() - started) / 1e9;
        assertTrue(e.getMessage().contains(url) && !e.getMessage().contains("\n"), e.getMessage());
        // The job starts before a live source is opened: start-up plus the 2 s timeout, far from a hang.
        assertTrue(seconds < 120, "gave up after " + seconds + " s: " + e.getMessage());
    }

    private static void log(LivePublisher publisher, String what) {
        System.out.printf(Locale.ROOT, "live test: %s at %.2f s of the source%n", what,
                publisher.startMillis() < 0 ? -1 : (System.currentTimeMillis() - publisher.startMillis()) / 1e3);
    }

    static int countSegments(String playlist) {
        return (int) playlist.lines().filter(l -> l.startsWith("#EXTINF")).count();
    }
}
