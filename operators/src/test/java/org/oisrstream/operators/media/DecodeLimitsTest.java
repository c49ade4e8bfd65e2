package org.oisrstream.operators.media;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Chunks over the decoding limits are refused before their frames are decoded or upscaled. */
class DecodeLimitsTest {

    @TempDir
    static Path dir;

    static MediaChunk chunk;

    @BeforeAll
    static void cut() {
        TestClips.Clip clip = TestClips.write(dir.resolve("clip.mkv"), TestClips.ClipSpec.of(96, 64, 30, 30));
        try (VideoSegmenter s = VideoSegmenter.open(clip.path().toString(),
                SegmenterOptions.defaults().withChunkSeconds(0.5))) {
            chunk = s.next();
        }
    }

    private static ChunkMetadata header() {
        return new ChunkMetadata("cam1", 0, false, 0, chunk.durationMicros(), chunk.frameCount(), "matroska", 96, 64, 30);
    }

    private static String refused(DecodeLimits limits, int scale, ChunkMetadata header) {
        CountingUpscaler upscaler = CountingUpscaler.nearest(2);
        ChunkTranscoder transcoder = new ChunkTranscoder(EncoderSettings.defaults(), 4, limits, scale);
        MediaException e = assertThrows(MediaException.class,
                () -> transcoder.transcode(chunk.data(), header, upscaler::upscale));
        assertEquals(0, upscaler.calls().get(), "refused before anything was upscaled: " + e.getMessage());
        return e.getMessage();
    }

    @Test
    void frameLargerThanTheLimitIsRefusedWhenTheChunkIsOpened() {
        DecodeLimits limits = DecodeLimits.builder().maxWidth(64).build();
        // The header may lie (a smaller size): the container's own size is checked too.
        ChunkMetadata lyingHeader = new ChunkMetadata("cam1", 0, false, 0, chunk.durationMicros(), chunk.frameCount(),
                "matroska", 32, 16, 30);
        String message = refused(limits, 0, lyingHeader);
        assertTrue(message.contains("96x64 video, over the decoding limit of 64x"), message);
        assertTrue(refused(DecodeLimits.builder().maxPixels(96 * 64 - 1).build(), 0, header()).contains("decoding limit"));
    }

    @Test
    void decodedFrameLargerThanTheLimitIsRefusedByTheDecoder() {
        // What a chunk whose bitstream disagrees with its container would meet: the decoder's own check.
        try (Demuxer d = Demuxer.open(chunk.data(), ChunkFormat.MATROSKA, "chunk", null);
             VideoDecoder decoder = new VideoDecoder(d.stream(0), 1, "chunk 0",
                     DecodeLimits.builder().maxHeight(32).build())) {
            var packet = org.bytedeco.ffmpeg.global.avcodec.av_packet_alloc();
            int[] frames = {0};
            MediaException e = assertThrows(MediaException.class, () -> {
                while (d.read(packet)) {
                    if (packet.stream_index() == 0) {
                        decoder.decode(packet, f -> frames[0]++);
                    }
                    org.bytedeco.ffmpeg.global.avcodec.av_packet_unref(packet);
                }
                decoder.decode(null, f -> frames[0]++);
            });
            org.bytedeco.ffmpeg.global.avcodec.av_packet_free(packet);
            assertEquals(0, frames[0], "no frame handed out");
            assertTrue(e.getMessage().contains("over the decoding limit"), e.getMessage());
        }
    }

    @Test
    void chunkWithMoreFramesThanAllowedIsRefusedFromItsHeaderAndFromItsPackets() {
        int limit = chunk.frameCount() - 2;
        DecodeLimits limits = DecodeLimits.builder().maxFramesPerChunk(limit).build();
        assertTrue(refused(limits, 0, header()).contains("more than the limit of " + limit + " per chunk"));
        // A header that under-reports: the packets are counted while they are read, before decoding.
        ChunkMetadata lying = new ChunkMetadata("cam1", 0, false, 0, chunk.durationMicros(), 1, "matroska", 96, 64, 30);
        assertTrue(refused(limits, 0, lying).contains("more than the limit of " + limit + " per chunk"));
    }

    @Test
    void chunkDecodingToMoreBytesThanAllowedIsRefusedBeforeDecoding() {
        long limit = 96L * 64 * 3 * (chunk.frameCount() - 1);
        String message = refused(DecodeLimits.builder().maxDecodedBytesPerChunk(limit).build(), 0, header());
        assertTrue(message.contains("more than the limit of " + limit + " bytes"), message);
    }

    @Test
    void chunkLongerThanAllowedIsRefused() {
        String message = refused(DecodeLimits.builder().maxChunkDuration(Duration.ofMillis(100)).build(), 0, header());
        assertTrue(message.contains("more than the limit of 100 ms"), message);
    }

    @Test
    void upscaledSizeOverTheEncoderLimitIsRefusedBeforeUpscaling() {
        String message = refused(DecodeLimits.builder().maxOutputWidth(1000).build(), 16, header());
        assertTrue(message.contains("would upscale to 1536x1024, over the encoder limit"), message);
    }

    @Test
    void upscaledSizeTheEncoderItselfRefusesIsRefusedBeforeUpscaling() {
        // Limits opened wide: the encoder's own answer (opened once at that size, then remembered) refuses it.
        DecodeLimits wide = DecodeLimits.builder().maxOutputWidth(1 << 16).maxOutputHeight(1 << 16)
                .maxOutputPixels(1L << 32).build();
        String message = refused(wide, 200, header());
        assertTrue(message.contains("would upscale to 19200x12800, which the") && message.contains("encoder refuses"),
                message);
        assertTrue(refused(wide, 200, header()).contains("encoder refuses"), "the remembered answer");
    }

    @Test
    void defaultsAreSafeAndGenuineChunksPass() {
        DecodeLimits d = DecodeLimits.defaults();
        assertEquals(7680, d.maxWidth());
        assertEquals(1800, d.maxFramesPerChunk());
        CountingUpscaler upscaler = CountingUpscaler.nearest(2);
        assertEquals(chunk.frameCount(), new ChunkTranscoder(EncoderSettings.defaults(), 4, d, 2)
                .transcode(chunk.data(), header(), upscaler::upscale).frameCount());
        assertThrows(IllegalArgumentException.class, () -> DecodeLimits.builder().maxWidth(0).build());
    }
}
