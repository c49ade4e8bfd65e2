package org.oisrstream.operators.media;

import static org.bytedeco.ffmpeg.global.avcodec.AV_CODEC_ID_MPEG4;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_YUV420P;
import static org.bytedeco.ffmpeg.global.avutil.av_display_rotation_get;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.bytedeco.javacv.FFmpegFrameRecorder;
import org.bytedeco.javacv.Frame;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.oisrstream.model.image.RgbImage;

/**
 * Inputs real users have (issue 10): a phone clip with a display rotation, a stream whose resolution changes
 * mid-way, files joined end to end, and sources whose upscaled size the encoder cannot take. Every clip is made
 * here; the rotated one by JavaCV's recorder, not by this project's muxer.
 */
class UserInputsTest {

    private static final int W = 64;
    private static final int H = 48;
    private static final int MARK_W = 16;
    private static final int MARK_H = 12;

    @TempDir
    Path dir;

    /** A 64x48 MPEG-4 clip, grey with a red block in the stored top-left corner, tagged with a display rotation. */
    private Path phoneClip(double rotation) throws Exception {
        Path file = dir.resolve("phone-" + (int) rotation + ".mp4");
        try (FFmpegFrameRecorder recorder = new FFmpegFrameRecorder(file.toFile(), W, H, 0)) {
            recorder.setFormat("mp4");
            recorder.setVideoCodec(AV_CODEC_ID_MPEG4);
            recorder.setPixelFormat(AV_PIX_FMT_YUV420P);
            recorder.setFrameRate(15);
            recorder.setGopSize(8);
            recorder.setVideoQuality(2);
            recorder.setDisplayRotation(rotation);
            recorder.start();
            for (int i = 0; i < 20; i++) {
                Frame frame = new Frame(W, H, Frame.DEPTH_UBYTE, 3);
                ByteBuffer bgr = (ByteBuffer) frame.image[0];
                for (int y = 0; y < H; y++) {
                    for (int x = 0; x < W; x++) {
                        boolean mark = x < MARK_W && y < MARK_H;
                        int at = y * frame.imageStride + x * 3;
                        bgr.put(at, (byte) (mark ? 0 : 128));
                        bgr.put(at + 1, (byte) (mark ? 0 : 128));
                        bgr.put(at + 2, (byte) (mark ? 255 : 128));
                    }
                }
                recorder.record(frame);
            }
        }
        return file;
    }

    /** FFmpeg's own reading of a file's display matrix: degrees to turn the stored frame counter-clockwise. */
    private static double displayRotation(Path file) {
        try (Demuxer d = Demuxer.open(file.toString(), null, Map.of())) {
            int[] matrix = DisplayOrientation.matrix(d.stream(0).codecpar());
            return matrix == null ? 0 : av_display_rotation_get(matrix);
        }
    }

    private static boolean red(RgbImage image, int x0, int y0) {
        long r = 0;
        long g = 0;
        long b = 0;
        for (int y = y0; y < y0 + 8; y++) {
            for (int x = x0; x < x0 + 8; x++) {
                int i = (y * image.width() + x) * 3;
                r += image.pixels()[i] & 0xff;
                g += image.pixels()[i + 1] & 0xff;
                b += image.pixels()[i + 2] & 0xff;
            }
        }
        return r / 64 > 180 && g / 64 < 90 && b / 64 < 90;
    }

    private static List<MediaChunk> cut(Path source) {
        List<MediaChunk> chunks = new ArrayList<>();
        try (VideoSegmenter s = VideoSegmenter.open(source.toString(), SegmenterOptions.defaults().withChunkSeconds(0.5))) {
            s.forEachRemaining(chunks::add);
        }
        return chunks;
    }

    @ParameterizedTest(name = "display rotation {0}")
    @ValueSource(doubles = {90, -90, 180})
    void rotatedClipComesOutUprightWithoutRotationMetadata(double rotation) throws Exception {
        Path source = phoneClip(rotation);
        double turn = displayRotation(source);
        assertEquals(rotation, Math.abs(turn) == 180 ? Math.abs(rotation) : turn, 0.5,
                "the clip carries the rotation (FFmpeg reads " + turn + ")");
        // Where the stored top-left block is shown: turning counter-clockwise by 90 takes it to the bottom left.
        int quarter = (int) Math.round(turn / 90) & 3;
        boolean turned = quarter % 2 == 1;
        int outW = 2 * (turned ? H : W);
        int outH = 2 * (turned ? W : H);
        boolean right = quarter == 2 || quarter == 3;
        boolean bottom = quarter == 1 || quarter == 2;

        SourceInfo info;
        List<MediaChunk> chunks = new ArrayList<>();
        try (VideoSegmenter s = VideoSegmenter.open(source.toString(), SegmenterOptions.defaults().withChunkSeconds(0.5))) {
            info = s.info();
            s.forEachRemaining(chunks::add);
        }
        assertTrue(chunks.size() >= 2, "chunks: " + chunks.size());
        ChunkTranscoder transcoder = new ChunkTranscoder(EncoderSettings.builder().quality(10).build(), 4,
                DecodeLimits.defaults(), 2);
        List<byte[]> upscaled = new ArrayList<>();
        for (MediaChunk chunk : chunks) {
            TranscodedChunk out = transcoder.transcode(chunk.data(), ChunkMetadata.ofInput("phone", chunk, info),
                    CountingUpscaler.nearest(2)::upscale);
            assertEquals(outW, out.width(), "upscaled width");
            assertEquals(outH, out.height(), "upscaled height");
            upscaled.add(out.data());
        }
        Path output = dir.resolve("upright-" + (int) rotation + ".mp4");
        ChunkAssembler.assemble(upscaled, output);

        MediaProbe.Summary file = MediaProbe.probe(output);
        assertEquals(outW, file.width());
        assertEquals(outH, file.height());
        assertEquals(0, displayRotation(output), 0.0, "the output is stored upright, with no rotation to apply");
        RgbImage first = MediaProbe.decode(upscaled.get(0)).get(0).image();
        int x = right ? outW - 8 : 0;
        int y = bottom ? outH - 8 : 0;
        assertTrue(red(first, x, y), "the block is where a player shows it on the source: corner " + x + "," + y);
        assertTrue(!red(first, right ? 0 : outW - 8, y) && !red(first, x, bottom ? 0 : outH - 8),
                "and only there");
    }

    @Test
    void rotationIsTakenIntoAccountWhenTheUpscaledSizeIsChecked() throws Exception {
        Path source = phoneClip(90);
        DecodeLimits narrow = DecodeLimits.builder().maxOutputWidth(100).maxOutputHeight(200).build();
        ChunkTranscoder transcoder = new ChunkTranscoder(EncoderSettings.defaults(), 4, narrow, 2);
        try (VideoSegmenter s = VideoSegmenter.open(source.toString(), SegmenterOptions.defaults())) {
            s.checkUpscaledSize(transcoder); // shown 48x64, upscaled 96x128: within 100x200
        }
        MediaException e = assertThrows(MediaException.class,
                () -> transcoder.checkOutputSize(W, H, false, "an unrotated 64x48 source"));
        assertTrue(e.getMessage().contains("would upscale to 128x96, over the encoder limit of 100x200"), e.getMessage());
        assertTrue(e.getMessage().contains("at x2 the output limits allow inputs up to 50x100"), e.getMessage());
    }

    @Test
    void sourceWhoseUpscaledSizeTheEncoderRefusesIsRefusedBeforeAChunkIsCut() {
        Path source = TestClips.write(dir.resolve("small.mkv"), TestClips.ClipSpec.of(96, 64, 4, 25).withAudio(false)).path();
        DecodeLimits wide = DecodeLimits.builder().maxOutputWidth(1 << 16).maxOutputHeight(1 << 16)
                .maxOutputPixels(1L << 32).build();
        ChunkTranscoder transcoder = new ChunkTranscoder(EncoderSettings.defaults(), 4, wide, 200);
        try (VideoSegmenter s = VideoSegmenter.open(source.toString(), SegmenterOptions.defaults())) {
            MediaException e = assertThrows(MediaException.class, () -> s.checkUpscaledSize(transcoder));
            assertTrue(e.getMessage().startsWith("video source '" + source + "' would upscale to 19200x12800, which the"
                    + " libopenh264 encoder refuses"), e.getMessage());
            assertTrue(e.getMessage().contains("at x200 the output limits allow inputs up to"), e.getMessage());
            assertTrue(s.hasNext(), "nothing was cut");
        }
    }

    private Path adaptiveSource() {
        // An adaptive live source recorded: 96x54, then 128x72 from 2 s on, one MPEG-TS stream.
        return TestClips.writeParts(dir.resolve("adaptive.ts"), List.of(
                TestClips.ClipSpec.of(96, 54, 30, 15).withAudio(false),
                TestClips.ClipSpec.of(128, 72, 30, 15).withAudio(false))).path();
    }

    @Test
    void resolutionChangeMidStreamIsRefusedWhereTheSourceIsCutNamingTheChangeAndItsTime() {
        Path source = adaptiveSource();
        List<MediaChunk> chunks = new ArrayList<>();
        try (VideoSegmenter s = VideoSegmenter.open(source.toString(), SegmenterOptions.defaults().withChunkSeconds(0.5))) {
            assertEquals(96, s.info().width());
            MediaException e = assertThrows(MediaException.class, () -> s.forEachRemaining(chunks::add));
            assertEquals("video source '" + source + "' changes the video's frame size from 96x54 to 128x72 at 2.000 s:"
                    + " a stream must keep one frame size to be upscaled into one file; convert the source to one size"
                    + " first (e.g. ffmpeg -i IN -vf scale=96:54 OUT)", e.getMessage());
        }
        assertTrue(!chunks.isEmpty(), "the chunks before the change were cut");
        assertTrue(chunks.stream().mapToInt(MediaChunk::frameCount).sum() <= 30, "none of them has a new-size frame");
    }

    /** The whole source in one Matroska chunk, packets copied as they are: what another ingester might send. */
    private static byte[] oneChunk(Path source) {
        try (Demuxer in = Demuxer.open(source.toString(), null, Map.of());
             Muxer out = Muxer.toMemory(VideoSegmenter.CHUNK_FORMAT, 1 << 16)) {
            var video = in.stream(0);
            out.addCopy(video.codecpar(), video.time_base());
            out.start(Map.of());
            var packet = org.bytedeco.ffmpeg.global.avcodec.av_packet_alloc();
            long first = Long.MIN_VALUE;
            while (in.read(packet)) {
                // Onto a timeline that starts at 0, as the segmenter's chunks are.
                first = first == Long.MIN_VALUE ? packet.dts() : first;
                packet.pts(packet.pts() - first);
                packet.dts(packet.dts() - first);
                out.write(packet, video.time_base(), 0);
                org.bytedeco.ffmpeg.global.avcodec.av_packet_unref(packet);
            }
            org.bytedeco.ffmpeg.global.avcodec.av_packet_free(packet);
            return out.finish();
        }
    }

    @Test
    void chunkWhoseFrameSizeChangesInsideIsRefusedByTheTranscoderNamingTheChangeAndItsTime() {
        byte[] chunk = oneChunk(adaptiveSource());
        ChunkMetadata header = new ChunkMetadata("abr", 0, true, 0, 4_000_000, 60, "matroska", 96, 54, 60);
        CountingUpscaler upscaler = CountingUpscaler.nearest(2);
        ChunkTranscoder transcoder = new ChunkTranscoder(EncoderSettings.defaults(), 4, DecodeLimits.defaults(), 2);
        MediaException e = assertThrows(MediaException.class,
                () -> transcoder.transcode(chunk, header, upscaler::upscale));
        assertTrue(e.getMessage().matches("chunk 0 of stream 'abr' changes the video's frame size from 96x54 to 128x72"
                + " at 2\\.000 s: a stream must keep one frame size .*"), e.getMessage());
        assertTrue(upscaler.calls().get() <= 30 / 4, "only frames before the change were upscaled: " + upscaler.calls());
    }

    @Test
    void filesJoinedEndToEndAreRefusedForTheirTimestampsNotWithAMuxerError() throws Exception {
        Path a = TestClips.write(dir.resolve("a.ts"), TestClips.ClipSpec.of(96, 54, 30, 15).withAudio(false)).path();
        Path b = TestClips.write(dir.resolve("b.ts"), TestClips.ClipSpec.of(96, 54, 30, 15).withAudio(false)).path();
        Path joined = dir.resolve("joined.ts");
        Files.write(joined, Files.readAllBytes(a));
        Files.write(joined, Files.readAllBytes(b), java.nio.file.StandardOpenOption.APPEND);
        MediaException e = assertThrows(MediaException.class, () -> cut(joined));
        assertTrue(e.getMessage().startsWith("video source '" + joined + "' has broken timestamps: its video goes back"
                + " in time from "), e.getMessage());
    }
}
