package org.oisrstream.operators.media;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.oisrstream.model.image.RgbImage;
import org.oisrstream.model.image.Yuv420Image;
import org.oisrstream.model.image.YuvMatrix;
import org.oisrstream.model.infer.DefaultWeights;
import org.oisrstream.model.infer.ImageUpscaler;
import org.oisrstream.model.infer.OisrUpscaler;
import org.oisrstream.model.net.ModelSpec;
import org.oisrstream.model.quality.QualityMetrics;

/**
 * A network that gives Y'CbCr 4:2:0 itself feeds a yuv420p encoder as it is, with the same result as its RGB output
 * converted by the encoder; encoders of other pixel formats or colour spaces still get RGB.
 */
class Yuv420TranscodeTest {

    @TempDir
    static Path dir;

    static MediaChunk chunk;
    static OisrUpscaler network;

    @BeforeAll
    static void cut() throws Exception {
        TestClips.ClipSpec spec = TestClips.ClipSpec.of(64, 48, 12, 25)
                .withVideo(EncoderSettings.builder().quality(12).keyframeIntervalFrames(25).build());
        TestClips.Clip clip = TestClips.write(dir.resolve("clip.mkv"), spec);
        try (VideoSegmenter segmenter = VideoSegmenter.open(clip.path().toString(),
                SegmenterOptions.defaults().withChunkSeconds(10))) {
            chunk = segmenter.next();
        }
        network = OisrUpscaler.builder(ModelSpec.of("lf-s", 2))
                .weights(DefaultWeights.load(ModelSpec.of("lf-s", 2)).orElseThrow()).device("cpu").build();
    }

    @AfterAll
    static void close() {
        network.close();
    }

    /** {@link #network}, counting which of its outputs the transcoder asked for. */
    static final class Counting implements ImageUpscaler {
        final AtomicInteger rgbFrames = new AtomicInteger();
        final AtomicInteger yuvFrames = new AtomicInteger();

        @Override
        public int scale() {
            return network.scale();
        }

        @Override
        public String describe() {
            return network.describe();
        }

        @Override
        public List<RgbImage> upscale(List<RgbImage> images) {
            rgbFrames.addAndGet(images.size());
            return network.upscale(images);
        }

        @Override
        public boolean upscalesToYuv420() {
            return true;
        }

        @Override
        public List<Yuv420Image> upscaleYuv420(List<RgbImage> images, YuvMatrix matrix) {
            yuvFrames.addAndGet(images.size());
            return network.upscaleYuv420(images, matrix);
        }
    }

    @Test
    void aYuv420EncoderTakesTheNetworksPlanesAndGetsWhatConvertingItsRgbGives() {
        ChunkTranscoder transcoder = new ChunkTranscoder(EncoderSettings.defaults());
        Counting counting = new Counting();
        byte[] direct = transcoder.transcode(chunk.data(), "chunk", counting).data();
        assertEquals(chunk.frameCount(), counting.yuvFrames.get());
        assertEquals(0, counting.rgbFrames.get());

        byte[] converted = transcoder.transcode(chunk.data(), "chunk", network::upscale).data();
        List<MediaProbe.Frame> a = MediaProbe.decode(direct);
        List<MediaProbe.Frame> b = MediaProbe.decode(converted);
        assertEquals(chunk.frameCount(), a.size());
        assertEquals(b.size(), a.size());
        for (int i = 0; i < a.size(); i++) {
            assertEquals(128, a.get(i).image().width());
            double psnr = QualityMetrics.psnrRgb(a.get(i).image(), b.get(i).image());
            // Two encodings of slightly different inputs (RGB rounded first or not) at the default quality: 38-45 dB;
            // swapped or misplaced chroma gives under 20.
            assertTrue(psnr > 35, "frame " + i + ": " + psnr + " dB between the two paths");
        }
    }

    @Test
    void onlyYuv420pEncodersOfAOneMatrixColourSpaceTakePlanes() {
        assertFalse(VideoEncoder.yuv420Matrix(EncoderSettings.builder().pixelFormat("yuv444p").build(), 1)
                .isPresent());
        assertEquals(YuvMatrix.BT709, VideoEncoder.yuv420Matrix(EncoderSettings.defaults(), 1).orElseThrow());
        assertEquals(YuvMatrix.BT601, VideoEncoder.yuv420Matrix(EncoderSettings.defaults(), 2).orElseThrow(),
                "unspecified: BT.601, as the RGB conversion assumes");
        assertFalse(VideoEncoder.yuv420Matrix(EncoderSettings.defaults(), 10).isPresent(), "constant luminance");
        assertFalse(VideoEncoder.yuv420Matrix(EncoderSettings.defaults(), 0).isPresent(), "RGB");
    }
}
