package org.oisrstream.operators.media;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;
import org.oisrstream.model.infer.NearestNeighbourUpscaler;

/** Bad sources, chunks and outputs fail with one clear line naming what failed. */
class MediaErrorsTest {

    @TempDir
    static Path dir;

    static List<MediaChunk> chunks = new ArrayList<>();

    @BeforeAll
    static void cut() {
        TestClips.Clip clip = TestClips.write(dir.resolve("clip.mkv"), TestClips.ClipSpec.of(64, 48, 30, 30));
        try (VideoSegmenter s = VideoSegmenter.open(clip.path().toString(),
                SegmenterOptions.defaults().withChunkSeconds(0.5))) {
            s.forEachRemaining(chunks::add);
        }
    }

    private static String failure(Executable action, String... expectedParts) {
        MediaException e = assertThrows(MediaException.class, action);
        String message = e.getMessage();
        assertFalse(message.contains("\n"), "one line: " + message);
        for (String part : expectedParts) {
            assertTrue(message.contains(part), "'" + message + "' should mention '" + part + "'");
        }
        return message;
    }

    @Test
    void missingSourceIsNamed() {
        String path = dir.resolve("no-such-file.mp4").toString();
        failure(() -> VideoSegmenter.open(path, SegmenterOptions.defaults()), path, "No such file");
    }

    @Test
    void nonMediaSourceIsNamed() throws Exception {
        Path text = dir.resolve("notes.mp4");
        Files.writeString(text, "this is not a video\n".repeat(50));
        failure(() -> VideoSegmenter.open(text.toString(), SegmenterOptions.defaults()), text.toString(), "cannot open");
    }

    @Test
    void audioOnlySourceHasNoVideo() {
        Path audio = dir.resolve("tone.m4a");
        try (Muxer muxer = Muxer.toFile(audio.toString(), null);
             SineAudioEncoder tone = new SineAudioEncoder(44_100, 1, 440, muxer.wantsGlobalHeader())) {
            int s = muxer.addEncoded(tone.context());
            muxer.start(Map.of());
            for (int i = 0; i < 20; i++) {
                tone.encodeNext(p -> muxer.write(p, tone.context().time_base(), s));
            }
            tone.flush(p -> muxer.write(p, tone.context().time_base(), s));
            muxer.finish();
        }
        failure(() -> VideoSegmenter.open(audio.toString(), SegmenterOptions.defaults()), audio.toString(),
                "has no video stream");
    }

    @Test
    void audioThatMpegTsCannotCarryIsRefusedByName() throws Exception {
        Path file = dir.resolve("pcm.mkv");
        org.bytedeco.ffmpeg.avutil.AVRational ms = org.bytedeco.ffmpeg.global.avutil.av_make_q(1, 1000);
        try (Muxer muxer = Muxer.toFile(file.toString(), null);
             VideoEncoder video = new VideoEncoder(EncoderSettings.defaults(), 64, 48, ms,
                     org.bytedeco.ffmpeg.global.avutil.av_make_q(25, 1), true, 2);
             SineAudioEncoder pcm = new SineAudioEncoder("pcm_f32le", 48_000, 1, 440, true)) {
            int v = muxer.addEncoded(video.context());
            int a = muxer.addEncoded(pcm.context());
            muxer.start(Map.of());
            for (int i = 0; i < 10; i++) {
                video.encode(TestClips.frame(64, 48, i), i * 40L, p -> muxer.write(p, ms, v));
                while (pcm.position() * 1000L / 48_000 < (i + 1) * 40L) {
                    pcm.encodeNext(p -> muxer.write(p, pcm.context().time_base(), a));
                }
            }
            video.flush(p -> muxer.write(p, ms, v));
            pcm.flush(p -> muxer.write(p, pcm.context().time_base(), a));
            muxer.finish();
        }
        MediaChunk chunk;
        try (VideoSegmenter s = VideoSegmenter.open(file.toString(), SegmenterOptions.defaults())) {
            assertEquals("pcm_f32le", s.info().audioCodec());
            chunk = s.next();
        }
        assertTrue(chunk.audioPackets() > 0);
        failure(() -> new ChunkTranscoder(EncoderSettings.defaults()).transcode(chunk.data(), "chunk 0", new NearestNeighbourUpscaler(2)),
                "chunk 0", "pcm_f32le", "mpegts");
    }

    @Test
    void unknownInputFormatIsNamed() {
        failure(() -> VideoSegmenter.open("/dev/video9", SegmenterOptions.defaults().withInputFormat("no-such-format")),
                "no-such-format", "/dev/video9");
    }

    @Test
    void garbageChunkIsRefused() {
        byte[] junk = new byte[4096];
        new Random(7).nextBytes(junk);
        ChunkTranscoder transcoder = new ChunkTranscoder(EncoderSettings.defaults());
        failure(() -> transcoder.transcode(junk, "chunk 4 of stream 'cam1'", new NearestNeighbourUpscaler(2)),
                "chunk 4 of stream 'cam1'", "not a readable Matroska chunk");
        failure(() -> transcoder.transcode(new byte[0], "chunk 5", new NearestNeighbourUpscaler(2)), "chunk 5", "empty");
    }

    @Test
    void truncatedChunkIsRefusedAgainstItsHeader() {
        MediaChunk chunk = chunks.get(0);
        ChunkMetadata meta = ChunkMetadata.ofInput("cam1", chunk, new SourceInfo("x", "matroska", 64, 48, 30, "h264",
                "aac", 1, 0, 1_000_000, 30));
        byte[] truncated = Arrays.copyOf(chunk.data(), chunk.data().length * 2 / 3);
        ChunkTranscoder transcoder = new ChunkTranscoder(EncoderSettings.defaults());
        CountingUpscaler upscaler = CountingUpscaler.nearest(2);
        int callsBefore = upscaler.calls().get();
        failure(() -> transcoder.transcode(truncated, meta, upscaler::upscale), "chunk 0 of stream 'cam1'",
                "truncated or corrupt", "header says " + chunk.frameCount());
        assertEquals(callsBefore, upscaler.calls().get(), "refused before any inference");
        assertEquals(chunk.frameCount(), transcoder.transcode(chunk.data(), meta, upscaler::upscale).frameCount());
    }

    @Test
    void upscalerBreakingItsContractIsNamed() {
        ChunkTranscoder transcoder = new ChunkTranscoder(EncoderSettings.defaults(), 4);
        failure(() -> transcoder.transcode(chunks.get(0).data(), "chunk 0", frames -> frames.subList(0, 1)),
                "upscaler returned 1 frames for a batch of 4", "chunk 0");
        NearestNeighbourUpscaler x2 = new NearestNeighbourUpscaler(2);
        NearestNeighbourUpscaler x3 = new NearestNeighbourUpscaler(3);
        int[] calls = {0};
        failure(() -> transcoder.transcode(chunks.get(0).data(), "chunk 0",
                frames -> (calls[0]++ == 0 ? x2 : x3).upscale(frames)), "192x144 frame after 128x96", "chunk 0");
    }

    @Test
    void inferenceFailuresPropagateUnchangedToTellThemFromBadChunks() {
        ChunkTranscoder transcoder = new ChunkTranscoder(EncoderSettings.defaults());
        IllegalStateException down = new IllegalStateException("inference service unavailable");
        assertSame(down, assertThrows(IllegalStateException.class,
                () -> transcoder.transcode(chunks.get(0).data(), "chunk 0", frames -> {
                    throw down;
                })));
    }

    @Test
    void missingEncoderAndBadOptionAreNamed() {
        NearestNeighbourUpscaler upscaler = new NearestNeighbourUpscaler(2);
        failure(() -> new ChunkTranscoder(EncoderSettings.builder().codec("libx264").build()),
                "libx264", "not in this FFmpeg build");
        failure(() -> new ChunkTranscoder(EncoderSettings.builder().codec("libvpx-vp9").build()),
                "libvpx-vp9", "vp9", "MPEG-TS");
        failure(() -> new ChunkTranscoder(EncoderSettings.builder().preset("veryfast").build())
                .transcode(chunks.get(0).data(), "chunk 0", upscaler), "libopenh264", "preset");
        failure(() -> new ChunkTranscoder(EncoderSettings.builder().preset("veryfast").build()).checkEncoder(),
                "libopenh264", "no option 'preset'");
        failure(() -> new ChunkTranscoder(EncoderSettings.builder().pixelFormat("yuv444p").build()).checkEncoder(),
                "libopenh264", "yuv444p");
        new ChunkTranscoder(EncoderSettings.defaults()).checkEncoder();
        new ChunkTranscoder(EncoderSettings.highQuality()).checkEncoder();
    }

    @Test
    void assemblyFailureLeavesNoFile() throws Exception {
        ChunkTranscoder transcoder = new ChunkTranscoder(EncoderSettings.defaults());
        byte[] good = transcoder.transcode(chunks.get(0).data(), "chunk 0", new NearestNeighbourUpscaler(2)).data();
        byte[] bad = "not a chunk".getBytes(StandardCharsets.UTF_8);
        Path out = dir.resolve("broken.mp4");
        failure(() -> ChunkAssembler.assemble(List.of(good, bad), out), "output chunk 1", out.toString());
        assertFalse(Files.exists(out));
        try (Stream<Path> files = Files.list(dir)) {
            assertFalse(files.anyMatch(p -> p.getFileName().toString().contains("broken.mp4")));
        }
        failure(() -> ChunkAssembler.assemble(List.of(good), dir.resolve("out.avi2")), "out.avi2", ".mp4");
        failure(() -> ChunkAssembler.assemble(List.<byte[]>of(), dir.resolve("empty.mp4")), "no chunks");
    }
}
