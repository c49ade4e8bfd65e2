package org.oisrstream.operators.media;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.oisrstream.model.infer.NearestNeighbourUpscaler;

/** Other containers in, partial streams out, and several transcodings at once. */
class MediaSourcesTest {

    @TempDir
    Path dir;

    private static List<MediaChunk> cut(Path file, double seconds) {
        List<MediaChunk> chunks = new ArrayList<>();
        try (VideoSegmenter s = VideoSegmenter.open(file.toString(), SegmenterOptions.defaults().withChunkSeconds(seconds))) {
            s.forEachRemaining(chunks::add);
        }
        return chunks;
    }

    @ParameterizedTest
    @ValueSource(strings = {"clip.mp4", "clip.ts", "clip.mkv"})
    void containersAreCutOntoAZeroBasedTimelineWithEveryFrame(String name) {
        TestClips.Clip clip = TestClips.write(dir.resolve(name), TestClips.ClipSpec.of(64, 48, 30, 30));
        List<MediaChunk> chunks = cut(clip.path(), 0.4);
        assertTrue(chunks.size() >= 2, name + ": " + chunks);
        List<Long> pts = new ArrayList<>();
        for (MediaChunk c : chunks) {
            MediaProbe.Summary s = MediaProbe.probe(c.data());
            assertTrue(s.videoKey().get(0));
            assertTrue(c.audioPackets() > 0, name + " chunk " + c.sequence() + " lacks audio");
            pts.addAll(s.sortedVideoPts());
        }
        assertEquals(clip.frameMicros(), pts, name + ": frame times relative to the first keyframe");
    }

    /**
     * MPEG-4 Part 2 with B-frames, keyframe every 10 frames, closed or open GOPs (B-frames after a keyframe
     * that are displayed before it and reference the previous GOP). Either way every keyframe past the chunk
     * length is a cut and every frame comes out exactly once, in presentation order.
     */
    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void bFramesAreCutOnlyAtCleanKeyframesAndKeepPresentationOrder(boolean closedGop) throws Exception {
        EncoderSettings.Builder mpeg4 = EncoderSettings.builder().codec("mpeg4").quality(3).keyframeIntervalFrames(10)
                .option("bf", "2");
        if (closedGop) {
            mpeg4.option("flags", "+cgop").option("sc_threshold", "1000000000");
        }
        TestClips.Clip clip = TestClips.write(dir.resolve("bframes.mkv"),
                TestClips.ClipSpec.of(64, 48, 40, 25).withVariableFrameRate(true).withVideo(mpeg4.build()));
        MediaProbe.Summary source = MediaProbe.probe(clip.path());
        assertEquals("mpeg4", source.videoCodec());
        assertTrue(!source.videoPtsMicros().equals(source.sortedVideoPts()), "decode order differs from display order");
        List<MediaChunk> chunks = cut(clip.path(), 0.3);
        assertEquals(closedGop ? 4 : 5, chunks.size(), chunks.toString()); // one per keyframe (GOPs > 0.3 s)
        ChunkTranscoder transcoder = new ChunkTranscoder(EncoderSettings.defaults(), 3);
        for (MediaChunk c : chunks) {
            MediaProbe.Summary s = MediaProbe.probe(c.data());
            assertEquals(s.sortedVideoPts().get(0), c.startPtsMicros());
            // open GOP: all but the last chunk also carry the next chunk's keyframe, for reference only
            int referenceOnly = closedGop || c.last() ? 0 : 1;
            assertEquals(c.frameCount() + referenceOnly, s.videoPtsMicros().size(), c.toString());
        }
        List<byte[]> outputs = new ArrayList<>();
        List<Long> pts = new ArrayList<>();
        for (MediaChunk c : chunks) {
            TranscodedChunk out = transcoder.transcode(c.data(), "chunk " + c.sequence(), new NearestNeighbourUpscaler(2));
            assertEquals(c.frameCount(), out.frameCount());
            assertEquals(c.startPtsMicros(), out.startPtsMicros());
            outputs.add(out.data());
            pts.addAll(MediaProbe.probe(out.data()).sortedVideoPts());
        }
        assertEquals(clip.frameMicros(), pts);
        MediaProbe.Summary joined = MediaProbe.probe(ChunkAssembler.assemble(outputs, dir.resolve("b.mp4")).path());
        assertEquals(clip.frameMicros(), joined.sortedVideoPts());
        assertEquals(128, joined.width());
    }

    @Test
    void streamedHttpSourceWithoutLengthIsCut() throws Exception {
        TestClips.Clip clip = TestClips.write(dir.resolve("live.ts"), TestClips.ClipSpec.of(64, 48, 30, 30));
        byte[] bytes = java.nio.file.Files.readAllBytes(clip.path());
        com.sun.net.httpserver.HttpServer server = com.sun.net.httpserver.HttpServer.create(
                new java.net.InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/live.ts", exchange -> {
            exchange.sendResponseHeaders(200, 0); // chunked: no length, no seeking, like a live feed
            try (var out = exchange.getResponseBody()) {
                for (int i = 0; i < bytes.length; i += 1880) {
                    out.write(bytes, i, Math.min(1880, bytes.length - i));
                    out.flush();
                }
            }
        });
        server.start();
        try {
            String url = "http://127.0.0.1:" + server.getAddress().getPort() + "/live.ts";
            List<MediaChunk> chunks = new ArrayList<>();
            try (VideoSegmenter s = VideoSegmenter.open(url, SegmenterOptions.defaults().withChunkSeconds(0.4))) {
                assertEquals(64, s.info().width());
                assertEquals(url, s.info().source());
                s.forEachRemaining(chunks::add);
            }
            assertEquals(30, chunks.stream().mapToInt(MediaChunk::frameCount).sum());
            assertTrue(chunks.get(chunks.size() - 1).last());
        } finally {
            server.stop(0);
        }
    }

    @Test
    void stoppingAStalledLiveSourceEmitsTheOpenChunkAsLast() throws Exception {
        TestClips.Clip clip = TestClips.write(dir.resolve("live.ts"), TestClips.ClipSpec.of(64, 48, 60, 30));
        byte[] bytes = java.nio.file.Files.readAllBytes(clip.path());
        java.util.concurrent.CountDownLatch testDone = new java.util.concurrent.CountDownLatch(1);
        com.sun.net.httpserver.HttpServer server = com.sun.net.httpserver.HttpServer.create(
                new java.net.InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/live.ts", exchange -> {
            exchange.sendResponseHeaders(200, 0);
            var out = exchange.getResponseBody();
            int part = (bytes.length * 2 / 3) / 188 * 188;
            out.write(bytes, 0, part); // two thirds of the stream, then the feed stalls
            out.flush();
            try {
                testDone.await(30, java.util.concurrent.TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            exchange.close();
        });
        server.setExecutor(Executors.newSingleThreadExecutor());
        server.start();
        ExecutorService stopper = Executors.newSingleThreadExecutor();
        try {
            String url = "http://127.0.0.1:" + server.getAddress().getPort() + "/live.ts";
            List<MediaChunk> chunks = new ArrayList<>();
            long stoppedAt;
            try (VideoSegmenter s = VideoSegmenter.open(url, SegmenterOptions.defaults().withChunkSeconds(0.4))) {
                chunks.add(s.next());
                stopper.submit(() -> {
                    Thread.sleep(1500); // by now the reader is blocked on the stalled feed
                    s.stop();
                    return null;
                });
                stoppedAt = System.nanoTime();
                s.forEachRemaining(chunks::add);
                assertTrue((System.nanoTime() - stoppedAt) / 1e9 < 5, "stop() must end the blocked read promptly");
            }
            MediaChunk last = chunks.get(chunks.size() - 1);
            assertTrue(last.last(), chunks.toString());
            int frames = chunks.stream().mapToInt(MediaChunk::frameCount).sum();
            assertTrue(frames > 20 && frames < 60, "frames before the stall: " + frames);
            ChunkTranscoder transcoder = new ChunkTranscoder(EncoderSettings.defaults());
            for (MediaChunk c : chunks) {
                assertEquals(c.frameCount(), transcoder.transcode(c.data(), "chunk", new NearestNeighbourUpscaler(2)).frameCount());
            }
        } finally {
            testDone.countDown();
            stopper.shutdownNow();
            server.stop(0);
        }
    }

    @Test
    void assemblingFromTheMiddleOfAStreamStartsTheFileAtZero() throws Exception {
        TestClips.Clip clip = TestClips.write(dir.resolve("clip.mkv"), TestClips.ClipSpec.of(64, 48, 30, 30));
        List<MediaChunk> chunks = cut(clip.path(), 0.4);
        ChunkTranscoder transcoder = new ChunkTranscoder(EncoderSettings.defaults());
        List<byte[]> tail = chunks.subList(1, chunks.size()).stream()
                .map(c -> transcoder.transcode(c.data(), "chunk", new NearestNeighbourUpscaler(2)).data()).toList();
        AssembledFile file = ChunkAssembler.assemble(tail, dir.resolve("tail.mkv"));
        MediaProbe.Summary s = MediaProbe.probe(file.path());
        long first = chunks.get(1).startPtsMicros();
        List<Long> expected = clip.frameMicros().stream().filter(t -> t >= first).map(t -> t - first).toList();
        assertEquals(expected, s.sortedVideoPts());
    }

    @Test
    void concurrentTranscodingsGiveTheSameBytesAsOneAtATime() throws Exception {
        TestClips.Clip clip = TestClips.write(dir.resolve("clip.mkv"), TestClips.ClipSpec.of(64, 48, 45, 30));
        List<MediaChunk> chunks = cut(clip.path(), 0.3);
        ChunkTranscoder transcoder = new ChunkTranscoder(EncoderSettings.defaults(), 2);
        List<byte[]> sequential = chunks.stream()
                .map(c -> transcoder.transcode(c.data(), "chunk", new NearestNeighbourUpscaler(2)).data()).toList();
        ExecutorService pool = Executors.newFixedThreadPool(3);
        try {
            List<Future<byte[]>> parallel = new ArrayList<>();
            for (int round = 0; round < 2; round++) {
                for (MediaChunk c : chunks) {
                    parallel.add(pool.submit(() -> transcoder.transcode(c.data(), "chunk", new NearestNeighbourUpscaler(2)).data()));
                }
            }
            for (int i = 0; i < parallel.size(); i++) {
                assertArrayEquals(sequential.get(i % chunks.size()), parallel.get(i).get(), "chunk " + i % chunks.size());
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
