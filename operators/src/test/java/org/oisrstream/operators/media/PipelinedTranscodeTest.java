package org.oisrstream.operators.media;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Set;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.oisrstream.model.image.Picture;
import org.oisrstream.model.image.RgbImage;
import org.oisrstream.model.infer.NearestNeighbourUpscaler;

/** Decoding, upscaling and encoding overlap within a chunk, and the result is the same as one step at a time. */
class PipelinedTranscodeTest {

    private static final int IN_FLIGHT = 4;

    @TempDir
    static Path dir;

    static MediaChunk chunk;
    static SourceInfo source;

    @BeforeAll
    static void cut() throws Exception {
        TestClips.ClipSpec spec = TestClips.ClipSpec.of(64, 48, 20, 25)
                .withVideo(EncoderSettings.builder().quality(12).keyframeIntervalFrames(25).build());
        TestClips.Clip clip = TestClips.write(dir.resolve("clip.mkv"), spec);
        try (VideoSegmenter segmenter = VideoSegmenter.open(clip.path().toString(),
                SegmenterOptions.defaults().withChunkSeconds(10))) {
            source = segmenter.info();
            chunk = segmenter.next();
        }
        assertEquals(20, chunk.frameCount());
    }

    /**
     * An upscaler on another thread that completes the oldest submitted frame only once the transcoder has
     * {@code IN_FLIGHT} outstanding, or has stopped submitting: it sees how far ahead the transcoder runs.
     */
    static final class LaggingUpscaler implements FrameUpscaling {
        private final NearestNeighbourUpscaler nearest = new NearestNeighbourUpscaler(2);
        private final ArrayDeque<CompletableFuture<List<RgbImage>>> pending = new ArrayDeque<>();
        private final ArrayDeque<List<RgbImage>> inputs = new ArrayDeque<>();
        private final ExecutorService completer = Executors.newSingleThreadExecutor();
        private int mostOutstanding;
        private int submits;
        private volatile long lastSubmitNanos = System.nanoTime();

        @Override
        public synchronized CompletableFuture<List<RgbImage>> submit(List<RgbImage> frames) {
            submits++;
            CompletableFuture<List<RgbImage>> result = new CompletableFuture<>();
            pending.add(result);
            inputs.add(frames);
            mostOutstanding = Math.max(mostOutstanding, outstandingFrames());
            lastSubmitNanos = System.nanoTime();
            completer.execute(this::completeWhenDue);
            return result;
        }

        private int outstandingFrames() {
            return inputs.stream().mapToInt(List::size).sum();
        }

        private void completeWhenDue() {
            while (true) {
                synchronized (this) {
                    if (pending.isEmpty()) {
                        return;
                    }
                    boolean idle = System.nanoTime() - lastSubmitNanos > TimeUnit.MILLISECONDS.toNanos(200);
                    if (outstandingFrames() >= IN_FLIGHT || idle) {
                        pending.poll().complete(nearest.upscale(inputs.poll()));
                        return;
                    }
                }
                try {
                    Thread.sleep(5);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }

        @Override
        public int framesPerSubmit() {
            return 1;
        }
    }

    @Test
    void framesAreSubmittedAheadOfEncodingUpToTheLimitAndTheOutputIsUnchanged() {
        ChunkTranscoder transcoder = new ChunkTranscoder(EncoderSettings.highQuality(), IN_FLIGHT);
        byte[] stepByStep = transcoder.transcode(chunk.data(), "chunk", new NearestNeighbourUpscaler(2)).data();

        LaggingUpscaler lagging = new LaggingUpscaler();
        TranscodedChunk pipelined = transcoder.transcode(chunk.data(), header(), lagging);
        lagging.completer.shutdownNow();

        assertEquals(20, lagging.submits, "one submit per frame");
        assertEquals(IN_FLIGHT, lagging.mostOutstanding,
                "the transcoder keeps decoding while frames are out, but never more than its limit");
        assertEquals(20, pipelined.frameCount());
        assertArrayEquals(stepByStep, pipelined.data(), "same frames, same encoder: the same bytes");
    }

    @Test
    void everyEncodedFrameIsRecycledOnceAndOnlyAfterTheEncoderCopiedIt() {
        ChunkTranscoder transcoder = new ChunkTranscoder(EncoderSettings.highQuality(), IN_FLIGHT);
        byte[] stepByStep = transcoder.transcode(chunk.data(), "chunk", new NearestNeighbourUpscaler(2)).data();
        Set<Picture> recycled = Collections.newSetFromMap(new IdentityHashMap<>());
        List<RgbImage> returned = new ArrayList<>();
        FrameUpscaling scribbling = new FrameUpscaling() {
            @Override
            public CompletableFuture<List<RgbImage>> submit(List<RgbImage> frames) {
                List<RgbImage> out = new NearestNeighbourUpscaler(2).upscale(frames);
                returned.addAll(out);
                return CompletableFuture.completedFuture(out);
            }

            @Override
            public void recycle(Picture frame) {
                assertTrue(recycled.add(frame), "recycled twice");
                Arrays.fill(((RgbImage) frame).pixels(), (byte) 0x5a); // as the next frame written into it would
            }

            @Override
            public int framesPerSubmit() {
                return 1;
            }
        };
        TranscodedChunk out = transcoder.transcode(chunk.data(), header(), scribbling);
        assertEquals(20, recycled.size());
        assertTrue(recycled.containsAll(returned), "each frame the upscaler returned");
        assertArrayEquals(stepByStep, out.data(), "frames overwritten once recycled: still the same bytes");
    }

    @Test
    void aFailedUpscaleSurfacesItsOwnException() {
        ChunkTranscoder transcoder = new ChunkTranscoder(EncoderSettings.highQuality(), IN_FLIGHT);
        IllegalStateException boom = new IllegalStateException("device lost");
        FrameUpscaling failing = new FrameUpscaling() {
            private int calls;

            @Override
            public CompletableFuture<List<RgbImage>> submit(List<RgbImage> frames) {
                return ++calls == 3 ? CompletableFuture.failedFuture(boom)
                        : CompletableFuture.completedFuture(new NearestNeighbourUpscaler(2).upscale(frames));
            }

            @Override
            public int framesPerSubmit() {
                return 1;
            }
        };
        assertSame(boom, assertThrows(IllegalStateException.class,
                () -> transcoder.transcode(chunk.data(), header(), failing)));
    }

    private static ChunkMetadata header() {
        return ChunkMetadata.ofInput("s", chunk, source);
    }
}
