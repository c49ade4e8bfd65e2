package org.oisrstream.jobs.live;

import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_BGR24;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_YUV420P;

import java.io.IOException;
import java.net.DatagramSocket;
import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import org.bytedeco.javacv.FFmpegFrameRecorder;
import org.bytedeco.javacv.Frame;
import org.oisrstream.model.image.RgbImage;
import org.oisrstream.operators.media.TestClips;

/**
 * A live source for tests: encodes the {@link TestClips} pattern with H.264 (OpenH264) into MPEG-TS and sends
 * it to {@code udp://127.0.0.1:PORT} in real time, one frame every 1/fps s, like a camera or encoder would.
 * Frame {@code i} is captured (handed to the encoder) at {@link #startMillis()} + i/fps.
 */
final class LivePublisher {

    final int width;
    final int height;
    final int frames;
    final int fps;
    final int port;
    private final AtomicLong start = new AtomicLong(-1);
    private final AtomicLong sent = new AtomicLong();
    private volatile boolean stopRequested;

    LivePublisher(int width, int height, int frames, int fps, int port) {
        this.width = width;
        this.height = height;
        this.frames = frames;
        this.fps = fps;
        this.port = port;
    }

    static int freeUdpPort() throws IOException {
        try (DatagramSocket s = new DatagramSocket(0, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    String url() {
        return "udp://127.0.0.1:" + port;
    }

    long startMillis() {
        return start.get();
    }

    long framesSent() {
        return sent.get();
    }

    double durationSeconds() {
        return frames / (double) fps;
    }

    /** Stops sending (like a camera going away) before all {@link #frames} are sent. */
    void stop() {
        stopRequested = true;
    }

    CompletableFuture<Void> startAsync() {
        return CompletableFuture.runAsync(() -> {
            try {
                publish();
            } catch (Exception e) {
                throw new IllegalStateException("publisher failed: " + e, e);
            }
        });
    }

    private void publish() throws Exception {
        try (FFmpegFrameRecorder recorder = new FFmpegFrameRecorder(url() + "?pkt_size=1316", width, height, 0)) {
            recorder.setFormat("mpegts");
            recorder.setVideoCodecName("libopenh264");
            recorder.setPixelFormat(AV_PIX_FMT_YUV420P);
            recorder.setFrameRate(fps);
            recorder.setGopSize(fps);
            recorder.setVideoBitrate(800_000);
            recorder.start();
            Frame frame = new Frame(width, height, Frame.DEPTH_UBYTE, 3);
            long t0 = System.currentTimeMillis();
            start.set(t0);
            for (int i = 0; i < frames && !stopRequested; i++) {
                long due = t0 + Math.round(i * 1000.0 / fps);
                long wait = due - System.currentTimeMillis();
                if (wait > 0) {
                    Thread.sleep(wait);
                }
                fill(frame, TestClips.frame(width, height, i));
                recorder.record(frame, AV_PIX_FMT_BGR24);
                sent.incrementAndGet();
            }
            recorder.stop();
        }
    }

    private static void fill(Frame frame, RgbImage image) {
        ByteBuffer buf = (ByteBuffer) frame.image[0];
        byte[] rgb = image.pixels();
        int stride = frame.imageStride;
        for (int y = 0; y < image.height(); y++) {
            for (int x = 0; x < image.width(); x++) {
                int s = (y * image.width() + x) * 3;
                int d = y * stride + x * 3;
                buf.put(d, rgb[s + 2]);
                buf.put(d + 1, rgb[s + 1]);
                buf.put(d + 2, rgb[s]);
            }
        }
    }
}
