package org.oisrstream.operators.media;

import static org.bytedeco.ffmpeg.global.avcodec.avcodec_alloc_context3;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_find_decoder;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_free_context;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_get_name;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_open2;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_parameters_to_context;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_receive_frame;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_send_packet;
import static org.bytedeco.ffmpeg.global.avutil.AVERROR_EAGAIN;
import static org.bytedeco.ffmpeg.global.avutil.AVERROR_EOF;
import static org.bytedeco.ffmpeg.global.avutil.AV_NOPTS_VALUE;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_alloc;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_free;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_unref;

import java.util.function.Consumer;
import org.bytedeco.ffmpeg.avcodec.AVCodec;
import org.bytedeco.ffmpeg.avcodec.AVCodecContext;
import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.ffmpeg.avformat.AVStream;
import org.bytedeco.ffmpeg.avutil.AVDictionary;
import org.bytedeco.ffmpeg.avutil.AVFrame;
import org.oisrstream.model.image.RgbImage;

/** Decodes one video stream's packets into {@link DecodedFrame}s (rgb24 plus timestamp). */
final class VideoDecoder implements AutoCloseable {

    /** A decoded picture; {@code pts} in the stream's time base (best-effort timestamp). */
    record DecodedFrame(RgbImage image, long pts, long duration, int colorspace) {
    }

    private final AVCodecContext context;
    private final AVFrame frame = av_frame_alloc();
    private final FrameConverter converter = new FrameConverter();
    private final String name;
    private final DecodeLimits limits;

    VideoDecoder(AVStream stream, int threads, String name) {
        this(stream, threads, name, null);
    }

    /** With {@code limits}, every decoded frame larger than they allow is refused before it is converted. */
    VideoDecoder(AVStream stream, int threads, String name, DecodeLimits limits) {
        Av.init();
        this.name = name;
        this.limits = limits;
        int codecId = stream.codecpar().codec_id();
        AVCodec codec = avcodec_find_decoder(codecId);
        if (codec == null || codec.isNull()) {
            throw new MediaException(name + ": no decoder for video codec " + avcodec_get_name(codecId).getString());
        }
        context = avcodec_alloc_context3(codec);
        Av.check(avcodec_parameters_to_context(context, stream.codecpar()), name + ": bad video codec parameters");
        context.pkt_timebase(Av.copy(stream.time_base()));
        context.thread_count(threads);
        if (limits != null) {
            // FFmpeg's own guard: a frame over this many pixels fails in the decoder, before its buffers exist.
            context.max_pixels(limits.maxPixels());
        }
        int ret = avcodec_open2(context, codec, (AVDictionary) null);
        if (ret < 0) {
            avcodec_free_context(context);
            throw new MediaException(name + ": cannot open the " + codec.name().getString() + " decoder: " + Av.error(ret));
        }
    }

    /** Decodes {@code packet} (null flushes) and hands every frame that comes out to {@code sink}. */
    void decode(AVPacket packet, Consumer<DecodedFrame> sink) {
        int ret = avcodec_send_packet(context, packet);
        if (ret < 0 && ret != AVERROR_EOF()) {
            throw new MediaException(name + " holds corrupt video: " + Av.error(ret));
        }
        while (true) {
            ret = avcodec_receive_frame(context, frame);
            if (ret == AVERROR_EAGAIN() || ret == AVERROR_EOF()) {
                return;
            }
            if (ret < 0) {
                throw new MediaException(name + " holds corrupt video: " + Av.error(ret));
            }
            try {
                if (limits != null) {
                    limits.checkFrameSize(frame.width(), frame.height(), name);
                }
                long pts = frame.best_effort_timestamp();
                if (pts == AV_NOPTS_VALUE) {
                    pts = frame.pts();
                }
                RgbImage image = new RgbImage(frame.width(), frame.height(), converter.toRgb(frame));
                sink.accept(new DecodedFrame(image, pts, frame.duration(), frame.colorspace()));
            } finally {
                av_frame_unref(frame);
            }
        }
    }

    @Override
    public void close() {
        avcodec_free_context(context);
        av_frame_free(frame);
        converter.close();
    }
}
