package org.oisrstream.operators.media;

import static org.bytedeco.ffmpeg.global.avutil.av_make_q;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.bytedeco.ffmpeg.avutil.AVRational;
import org.oisrstream.model.image.RgbImage;

/**
 * Generates short synthetic clips: moving colour gradients and a bouncing square (so every frame differs),
 * optionally an AAC sine tone and a variable frame rate. Used by tests and to make the README sample:
 * {@code java ... org.oisrstream.operators.media.TestClips samples/sample-192x108.mp4}.
 */
public final class TestClips {

    /**
     * @param width             frame width (any size, e.g. 90x54)
     * @param height            frame height
     * @param frames            number of video frames
     * @param fps               nominal frame rate
     * @param audio             add a 440 Hz AAC tone (44.1 kHz stereo) as long as the video
     * @param variableFrameRate frame durations cycle through 1, 2, 1, 1.5 nominal frame times
     * @param video             encoder for the video; its keyframe interval sets the GOP
     */
    public record ClipSpec(int width, int height, int frames, double fps, boolean audio, boolean variableFrameRate,
            EncoderSettings video) {

        public static ClipSpec of(int width, int height, int frames, double fps) {
            return new ClipSpec(width, height, frames, fps, true, false,
                    EncoderSettings.builder().quality(12).keyframeIntervalFrames((int) Math.round(fps / 2)).build());
        }

        public ClipSpec withAudio(boolean value) {
            return new ClipSpec(width, height, frames, fps, value, variableFrameRate, video);
        }

        public ClipSpec withVariableFrameRate(boolean value) {
            return new ClipSpec(width, height, frames, fps, audio, value, video);
        }

        public ClipSpec withVideo(EncoderSettings value) {
            return new ClipSpec(width, height, frames, fps, audio, variableFrameRate, value);
        }
    }

    /** What was written: the presentation time of every frame in microseconds, in order. */
    public record Clip(Path path, ClipSpec spec, List<Long> frameMicros, long durationMicros) {
    }

    private static final AVRational MILLIS = av_make_q(1, 1000);
    private static final double[] VFR_CYCLE = {1, 2, 1, 1.5};

    private TestClips() {
    }

    /** Frame {@code index} of the pattern. */
    public static RgbImage frame(int width, int height, int index) {
        byte[] px = new byte[width * height * 3];
        int size = Math.max(2, Math.min(width, height) / 4);
        int sx = bounce(index * 3, width - size);
        int sy = bounce(index * 2, height - size);
        int i = 0;
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                boolean square = x >= sx && x < sx + size && y >= sy && y < sy + size;
                px[i++] = (byte) (square ? 250 : (x * 255 / width + index * 4));
                px[i++] = (byte) (square ? 240 : (y * 255 / height + index * 3));
                px[i++] = (byte) (square ? 30 : ((x + y) * 128 / (width + height) + 64 + index * 2));
            }
        }
        return new RgbImage(width, height, px);
    }

    private static int bounce(int t, int range) {
        if (range <= 0) {
            return 0;
        }
        int period = 2 * range;
        int m = t % period;
        return m <= range ? m : period - m;
    }

    /** Writes the clip to {@code file}; the container follows the extension (.mkv, .mp4, .ts, ...). */
    public static Clip write(Path file, ClipSpec spec) {
        List<Long> micros = new ArrayList<>();
        double nominal = 1000 / spec.fps();
        long durationMillis;
        try (Muxer muxer = Muxer.toFile(file.toString(), null);
             VideoEncoder video = new VideoEncoder(spec.video(), spec.width(), spec.height(), MILLIS,
                     av_make_q((int) Math.round(spec.fps() * 1000), 1000), muxer.wantsGlobalHeader(), 2);
             SineAudioEncoder audio = spec.audio() ? new SineAudioEncoder(44_100, 2, 440, muxer.wantsGlobalHeader()) : null) {
            int videoStream = muxer.addEncoded(video.context());
            int audioStream = audio == null ? -1 : muxer.addEncoded(audio.context());
            muxer.start(Map.of());
            AVRational audioTb = audio == null ? null : audio.context().time_base();
            long t = 0;
            double exact = 0;
            for (int i = 0; i < spec.frames(); i++) {
                micros.add(t * 1000);
                video.encode(frame(spec.width(), spec.height(), i), t, p -> muxer.write(p, MILLIS, videoStream));
                exact += spec.variableFrameRate() ? nominal * VFR_CYCLE[i % VFR_CYCLE.length] : nominal;
                t = Math.round(exact);
                while (audio != null && audio.position() * 1000L / audio.context().sample_rate() < t) {
                    audio.encodeNext(p -> muxer.write(p, audioTb, audioStream));
                }
            }
            durationMillis = t;
            video.flush(p -> muxer.write(p, MILLIS, videoStream));
            if (audio != null) {
                audio.flush(p -> muxer.write(p, audioTb, audioStream));
            }
            muxer.finish();
        }
        return new Clip(file, spec, List.copyOf(micros), durationMillis * 1000);
    }

    /**
     * Writes {@code parts} one after another as one video stream without audio (timestamps go on from part to
     * part), each with its own encoder at its own size: what an adaptive live source whose resolution changes
     * looks like. The stream's parameters are the first part's; use a container that carries parameter sets in
     * the stream (.ts), as such sources do. Variable frame rate and audio of the parts are ignored.
     */
    public static Clip writeParts(Path file, List<ClipSpec> parts) {
        List<Long> micros = new ArrayList<>();
        long t = 0;
        try (Muxer muxer = Muxer.toFile(file.toString(), null)) {
            int stream = -1;
            for (ClipSpec part : parts) {
                try (VideoEncoder video = new VideoEncoder(part.video(), part.width(), part.height(), MILLIS,
                        av_make_q((int) Math.round(part.fps() * 1000), 1000), muxer.wantsGlobalHeader(), 2)) {
                    if (stream < 0) {
                        stream = muxer.addEncoded(video.context());
                        muxer.start(Map.of());
                    }
                    int s = stream;
                    long start = t;
                    for (int i = 0; i < part.frames(); i++) {
                        t = start + Math.round(i * 1000 / part.fps());
                        micros.add(t * 1000);
                        video.encode(frame(part.width(), part.height(), i), t, p -> muxer.write(p, MILLIS, s));
                    }
                    t = start + Math.round(part.frames() * 1000 / part.fps());
                    video.flush(p -> muxer.write(p, MILLIS, s));
                }
            }
            muxer.finish();
        }
        return new Clip(file, parts.get(0), List.copyOf(micros), t * 1000);
    }

    /** Makes the README sample clip: {@code TestClips OUTPUT [WIDTH HEIGHT SECONDS]}. */
    public static void main(String[] args) throws Exception {
        if (args.length != 1 && args.length != 4) {
            System.err.println("usage: TestClips OUTPUT [WIDTH HEIGHT SECONDS]");
            System.exit(2);
        }
        Path out = Path.of(args[0]);
        int width = args.length == 4 ? Integer.parseInt(args[1]) : 192;
        int height = args.length == 4 ? Integer.parseInt(args[2]) : 108;
        double seconds = args.length == 4 ? Double.parseDouble(args[3]) : 3;
        double fps = 30;
        ClipSpec spec = ClipSpec.of(width, height, (int) Math.round(seconds * fps), fps)
                .withVideo(EncoderSettings.builder().quality(26).keyframeIntervalFrames(30).build());
        if (out.getParent() != null) {
            Files.createDirectories(out.getParent());
        }
        Clip clip = write(out, spec);
        System.out.println(out + ": " + width + "x" + height + ", " + clip.frameMicros().size() + " frames, "
                + clip.durationMicros() / 1e6 + " s, " + Files.size(out) + " bytes");
    }
}
