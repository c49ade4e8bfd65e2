package org.oisrstream.jobs.testing;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.bytedeco.javacv.Frame;
import org.oisrstream.model.image.RgbImage;

/** Test helper: decodes a video file with JavaCV's grabber (independent of the code under test). */
public final class VideoFiles {

    /** Every video frame (RGB, presentation order) with its time, and how much audio the file holds. */
    public record Decoded(int width, int height, List<RgbImage> frames, List<Long> ptsMicros, boolean hasAudio,
                          long audioSamples, long durationMicros) {

        /** The longest gap between consecutive frames: one frame of a (variable frame rate) clip. */
        public long longestFrameMicros() {
            long longest = 0;
            for (int i = 1; i < ptsMicros.size(); i++) {
                longest = Math.max(longest, ptsMicros.get(i) - ptsMicros.get(i - 1));
            }
            return longest;
        }
    }

    private VideoFiles() {
    }

    public static Decoded decode(Path file) throws Exception {
        try (FFmpegFrameGrabber grabber = new FFmpegFrameGrabber(file.toFile())) {
            grabber.setPixelFormat(avutil.AV_PIX_FMT_RGB24);
            grabber.start();
            List<RgbImage> frames = new ArrayList<>();
            List<Long> pts = new ArrayList<>();
            long samples = 0;
            Frame f;
            while ((f = grabber.grab()) != null) {
                if (f.image != null) {
                    frames.add(toRgb(f));
                    pts.add(f.timestamp);
                } else if (f.samples != null) {
                    samples += f.samples[0].remaining() / Math.max(1, f.samples.length == 1 ? f.audioChannels : 1);
                }
            }
            long first = pts.isEmpty() ? 0 : pts.get(0);
            List<Long> shifted = pts.stream().map(p -> p - first).toList();
            return new Decoded(grabber.getImageWidth(), grabber.getImageHeight(), frames, shifted,
                    grabber.hasAudio(), samples, grabber.getLengthInTime());
        }
    }

    private static RgbImage toRgb(Frame f) {
        ByteBuffer buf = (ByteBuffer) f.image[0];
        int w = f.imageWidth;
        int h = f.imageHeight;
        byte[] px = new byte[w * h * 3];
        for (int y = 0; y < h; y++) {
            buf.position(y * f.imageStride);
            buf.get(px, y * w * 3, w * 3);
        }
        return new RgbImage(w, h, px);
    }
}
