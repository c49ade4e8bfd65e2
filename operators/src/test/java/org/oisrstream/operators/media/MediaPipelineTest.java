package org.oisrstream.operators.media;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.oisrstream.model.image.RgbImage;
import org.oisrstream.model.quality.QualityMetrics;
import org.oisrstream.model.infer.NearestNeighbourUpscaler;

/** Segment, transcode and assemble a generated clip with real codecs. */
class MediaPipelineTest {

    private static final double CHUNK_SECONDS = 0.5;

    @TempDir
    static Path dir;

    /** 90x54, variable frame rate, AAC audio, keyframe every 8 frames. */
    static TestClips.Clip clip;
    static MediaProbe.Summary source;
    static List<MediaChunk> chunks;
    static List<SegmenterProgress> progress = new ArrayList<>();

    @BeforeAll
    static void cut() throws Exception {
        TestClips.ClipSpec spec = TestClips.ClipSpec.of(90, 54, 60, 30).withVariableFrameRate(true)
                .withVideo(EncoderSettings.builder().quality(12).keyframeIntervalFrames(8).build());
        clip = TestClips.write(dir.resolve("vfr.mkv"), spec);
        source = MediaProbe.probe(clip.path());
        chunks = new ArrayList<>();
        SegmenterOptions options = SegmenterOptions.defaults().withChunkSeconds(CHUNK_SECONDS).withProgress(progress::add);
        try (VideoSegmenter segmenter = VideoSegmenter.open(clip.path().toString(), options)) {
            SourceInfo info = segmenter.info();
            assertEquals(90, info.width());
            assertEquals(54, info.height());
            assertTrue(info.hasAudio());
            assertEquals("h264", info.videoCodec());
            assertEquals("aac", info.audioCodec());
            segmenter.forEachRemaining(chunks::add);
        }
    }

    @Test
    void generatedClipIsWhatWasAskedFor() {
        assertEquals(60, source.videoPtsMicros().size());
        assertEquals(clip.frameMicros(), source.sortedVideoPts());
        assertEquals(1, source.audioStreams());
        assertTrue(source.audioPtsMicros().size() > 50, "audio packets: " + source.audioPtsMicros().size());
        long distinctSteps = new java.util.HashSet<>(diffs(clip.frameMicros())).size();
        assertTrue(distinctSteps >= 3, "frame durations should vary: " + diffs(clip.frameMicros()));
    }

    @Test
    void segmenterCutsAtKeyframesIntoLongEnoughChunksAndKeepsEveryPacket() {
        assertTrue(chunks.size() >= 3, "chunks: " + chunks);
        List<Long> videoPts = new ArrayList<>();
        List<Long> audioPts = new ArrayList<>();
        int frames = 0;
        for (int i = 0; i < chunks.size(); i++) {
            MediaChunk c = chunks.get(i);
            assertEquals(i, c.sequence());
            assertEquals(i == chunks.size() - 1, c.last(), "last flag of " + c);
            if (!c.last()) {
                assertTrue(c.durationMicros() >= CHUNK_SECONDS * 1e6, "too short: " + c);
            }
            MediaProbe.Summary s = MediaProbe.probe(c.data());
            assertEquals("matroska,webm", s.container());
            assertTrue(s.videoKey().get(0), "chunk " + i + " must start with a keyframe");
            assertEquals(c.frameCount(), s.videoPtsMicros().size());
            assertEquals(c.audioPackets(), s.audioPtsMicros().size());
            assertTrue(c.audioPackets() > 0, "chunk " + i + " has no audio");
            assertEquals(c.startPtsMicros(), s.sortedVideoPts().get(0));
            if (i > 0) {
                MediaChunk prev = chunks.get(i - 1);
                assertEquals(c.startPtsMicros(), prev.startPtsMicros() + prev.durationMicros(), "chunks must tile time");
            }
            frames += c.frameCount();
            videoPts.addAll(s.videoPtsMicros());
            audioPts.addAll(s.audioPtsMicros());
        }
        assertEquals(60, frames);
        assertEquals(source.videoPtsMicros(), videoPts, "every video packet exactly once, original timestamps");
        // The AAC priming packet stamped before the first video keyframe (t = 0) is dropped by design.
        List<Long> expectedAudio = source.audioPtsMicros().stream().filter(t -> t >= 0).toList();
        assertEquals(source.audioPtsMicros().size() - 1, expectedAudio.size());
        assertEquals(expectedAudio, audioPts, "every audio packet exactly once, original timestamps");
        assertEquals(chunks.size(), progress.size());
        assertEquals(60, progress.get(progress.size() - 1).frames());
        assertEquals(1.0, progress.get(progress.size() - 1).fraction(), 1e-9);
        double first = progress.get(0).fraction();
        assertTrue(first > 0 && first < 1, "fraction after the first chunk: " + first);
    }

    @Test
    void transcoderUpscalesEveryFrameKeepsTimestampsAndAudio() {
        CountingUpscaler upscaler = CountingUpscaler.nearest(2);
        ChunkTranscoder transcoder = new ChunkTranscoder(EncoderSettings.defaults(), 3);
        for (MediaChunk c : chunks) {
            TranscodedChunk out = transcoder.transcode(c.data(), "chunk " + c.sequence(), upscaler);
            MediaProbe.Summary in = MediaProbe.probe(c.data());
            MediaProbe.Summary s = MediaProbe.probe(out.data());
            assertEquals("mpegts", s.container());
            assertEquals("h264", s.videoCodec());
            assertEquals(180, s.width());
            assertEquals(108, s.height());
            assertEquals(c.frameCount(), out.frameCount());
            assertEquals(in.sortedVideoPts(), s.sortedVideoPts(), "output frames keep input timestamps");
            assertTrue(s.videoKey().get(0), "output chunk starts with a keyframe");
            assertEquals("aac", s.audioCodec());
            assertEquals(in.audioPtsMicros(), s.audioPtsMicros(), "audio packets copied with their timestamps");
            assertEquals(c.startPtsMicros(), out.startPtsMicros());
        }
        assertTrue(upscaler.largestBatch().get() <= 3, "batches bounded by maxFramesInFlight: " + upscaler.largestBatch().get());
        assertTrue(upscaler.calls().get() >= 60 / 3);
    }

    @Test
    void transcodedFramesMatchTheUpscalerOutputAbove40dB() {
        NearestNeighbourUpscaler upscaler = new NearestNeighbourUpscaler(2);
        ChunkTranscoder transcoder = new ChunkTranscoder(EncoderSettings.highQuality(), 4);
        double worst = Double.POSITIVE_INFINITY;
        int compared = 0;
        for (MediaChunk c : chunks) {
            List<MediaProbe.Frame> input = MediaProbe.decode(c.data());
            List<MediaProbe.Frame> output = MediaProbe.decode(transcoder.transcode(c.data(), "chunk", upscaler).data());
            assertEquals(input.size(), output.size());
            List<RgbImage> expected = upscaler.upscale(input.stream().map(MediaProbe.Frame::image).toList());
            for (int i = 0; i < output.size(); i++) {
                assertEquals(input.get(i).ptsMicros(), output.get(i).ptsMicros());
                worst = Math.min(worst, QualityMetrics.psnrRgb(expected.get(i), output.get(i).image()));
                compared++;
            }
        }
        assertEquals(60, compared);
        assertTrue(worst >= 40, "worst frame PSNR " + worst + " dB");
    }

    @Test
    void assemblerJoinsUpscaledChunksIntoOneFile() throws Exception {
        ChunkTranscoder transcoder = new ChunkTranscoder(EncoderSettings.defaults());
        NearestNeighbourUpscaler upscaler = new NearestNeighbourUpscaler(2);
        List<byte[]> outputs = chunks.stream().map(c -> transcoder.transcode(c.data(), "chunk", upscaler).data()).toList();
        long frameMicros = 1_000_000 / 15; // longest frame of the VFR clip
        for (String name : List.of("joined.mp4", "joined.mkv")) {
            Path file = dir.resolve(name);
            AssembledFile result = ChunkAssembler.assemble(outputs, file);
            assertEquals(chunks.size(), result.chunks());
            assertEquals(60, result.videoFrames());
            MediaProbe.Summary s = MediaProbe.probe(file);
            assertEquals(180, s.width());
            assertEquals(108, s.height());
            assertEquals(60, s.videoPtsMicros().size());
            assertEquals(clip.frameMicros(), s.sortedVideoPts(), name + ": frame times as in the source");
            assertEquals("aac", s.audioCodec());
            assertEquals(source.audioPtsMicros().size() - 1, s.audioPtsMicros().size());
            assertTrue(Math.abs(result.durationMicros() - clip.durationMicros()) <= frameMicros,
                    name + " duration " + result.durationMicros() + " vs " + clip.durationMicros());
            try (Stream<Path> files = Files.list(dir)) {
                assertFalse(files.anyMatch(p -> p.getFileName().toString().endsWith(".partial")));
            }
        }
    }

    private static List<Long> diffs(List<Long> values) {
        List<Long> d = new ArrayList<>();
        for (int i = 1; i < values.size(); i++) {
            d.add(values.get(i) - values.get(i - 1));
        }
        return d;
    }
}
