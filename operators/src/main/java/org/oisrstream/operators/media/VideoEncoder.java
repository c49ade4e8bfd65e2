package org.oisrstream.operators.media;

import static org.bytedeco.ffmpeg.global.avcodec.AV_CODEC_FLAG_GLOBAL_HEADER;
import static org.bytedeco.ffmpeg.global.avcodec.AV_CODEC_FLAG_QSCALE;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_alloc;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_free;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_unref;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_alloc_context3;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_find_encoder_by_name;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_free_context;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_open2;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_receive_packet;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_send_frame;
import static org.bytedeco.ffmpeg.global.avutil.AVCOL_RANGE_MPEG;
import static org.bytedeco.ffmpeg.global.avutil.AVCOL_SPC_BT2020_NCL;
import static org.bytedeco.ffmpeg.global.avutil.AVCOL_SPC_BT470BG;
import static org.bytedeco.ffmpeg.global.avutil.AVCOL_SPC_BT709;
import static org.bytedeco.ffmpeg.global.avutil.AVCOL_SPC_FCC;
import static org.bytedeco.ffmpeg.global.avutil.AVCOL_SPC_SMPTE170M;
import static org.bytedeco.ffmpeg.global.avutil.AVCOL_SPC_SMPTE240M;
import static org.bytedeco.ffmpeg.global.avutil.AVCOL_SPC_UNSPECIFIED;
import static org.bytedeco.ffmpeg.global.avutil.AVERROR_EAGAIN;
import static org.bytedeco.ffmpeg.global.avutil.AVERROR_EOF;
import static org.bytedeco.ffmpeg.global.avutil.AV_PICTURE_TYPE_NONE;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_NONE;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_YUV420P;
import static org.bytedeco.ffmpeg.global.avutil.FF_QP2LAMBDA;
import static org.bytedeco.ffmpeg.global.avutil.av_dict_count;
import static org.bytedeco.ffmpeg.global.avutil.av_dict_free;
import static org.bytedeco.ffmpeg.global.avutil.av_dict_get;
import static org.bytedeco.ffmpeg.global.avutil.av_dict_set;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_alloc;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_free;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_get_buffer;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_make_writable;
import static org.bytedeco.ffmpeg.global.avutil.av_get_pix_fmt;
import static org.bytedeco.ffmpeg.global.avutil.av_get_pix_fmt_name;

import java.util.Optional;
import java.util.function.Consumer;
import org.bytedeco.ffmpeg.avcodec.AVCodec;
import org.bytedeco.ffmpeg.avcodec.AVCodecContext;
import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.ffmpeg.avutil.AVDictionary;
import org.bytedeco.ffmpeg.avutil.AVDictionaryEntry;
import org.bytedeco.ffmpeg.avutil.AVFrame;
import org.bytedeco.ffmpeg.avutil.AVRational;
import org.bytedeco.javacpp.BytePointer;
import org.oisrstream.model.image.Picture;
import org.oisrstream.model.image.RgbImage;
import org.oisrstream.model.image.Yuv420Image;
import org.oisrstream.model.image.YuvMatrix;

/**
 * A video encoder fed with {@link RgbImage}s (converted here) or {@link Yuv420Image}s (copied as they are) and
 * explicit timestamps, applying {@link EncoderSettings}.
 * Packets come out stamped in {@link #timeBase()}.
 */
final class VideoEncoder implements AutoCloseable {

    /** Keyframe interval standing for "only the first frame": longer than any chunk. */
    private static final int ONLY_FIRST_KEYFRAME = 1_000_000;

    private final AVCodecContext context;
    private final AVFrame frame;
    private final AVPacket packet;
    private final FrameConverter converter = new FrameConverter();
    private final int colorspace;
    private final String codecName;
    /** The matrix of the Y'CbCr 4:2:0 frames this encoder takes as they are, if any ({@link #yuv420Matrix}). */
    private final Optional<YuvMatrix> planesMatrix;

    /**
     * @param timeBase   time base of the timestamps given to {@link #encode}
     * @param frameRate  nominal frame rate (rate control hint; timestamps decide the real timing)
     * @param colorspace AVColorSpace to encode with and tag; unspecified means BT.601
     */
    VideoEncoder(EncoderSettings settings, int width, int height, AVRational timeBase, AVRational frameRate,
            boolean globalHeader, int colorspace) {
        Av.init();
        codecName = settings.codec();
        AVCodec codec = find(codecName);
        int pixFmt = av_get_pix_fmt(settings.pixelFormat());
        if (pixFmt == AV_PIX_FMT_NONE) {
            throw new MediaException("unknown pixel format '" + settings.pixelFormat() + "'");
        }
        this.colorspace = colorspace;
        this.planesMatrix = yuv420Matrix(settings, colorspace);
        context = avcodec_alloc_context3(codec);
        context.width(width);
        context.height(height);
        context.pix_fmt(pixFmt);
        context.time_base(Av.copy(timeBase));
        context.framerate(Av.copy(frameRate));
        context.gop_size(settings.keyframeIntervalFrames() > 0 ? settings.keyframeIntervalFrames() : ONLY_FIRST_KEYFRAME);
        context.thread_count(settings.threads());
        context.color_range(AVCOL_RANGE_MPEG);
        if (colorspace != AVCOL_SPC_UNSPECIFIED) {
            context.colorspace(colorspace);
        }
        if (globalHeader) {
            context.flags(context.flags() | AV_CODEC_FLAG_GLOBAL_HEADER);
        }
        if (settings.bitrate() > 0) {
            context.bit_rate(settings.bitrate());
        }
        AVDictionary options = new AVDictionary(null);
        try {
            applyQuality(settings, options);
            if (codecName.equals("libopenh264") && !settings.options().containsKey("profile")) {
                // High profile (CABAC): about 45% smaller chunks than OpenH264's baseline default, ~20% slower.
                av_dict_set(options, "profile", "high", 0);
            }
            if (settings.preset() != null) {
                av_dict_set(options, "preset", settings.preset(), 0);
            }
            settings.options().forEach((k, v) -> av_dict_set(options, k, v, 0));
            int ret = avcodec_open2(context, codec, options);
            if (ret < 0) {
                avcodec_free_context(context);
                throw new MediaException("cannot open video encoder " + codecName + " at " + width + "x" + height
                        + " " + settings.pixelFormat() + ": " + Av.error(ret));
            }
            if (av_dict_count(options) > 0) {
                AVDictionaryEntry unused = av_dict_get(options, "", null, 2 /* AV_DICT_IGNORE_SUFFIX */);
                String name = unused.key().getString();
                avcodec_free_context(context);
                throw new MediaException("video encoder " + codecName + " has no option '" + name + "'");
            }
        } finally {
            av_dict_free(options);
        }
        frame = av_frame_alloc();
        frame.format(pixFmt);
        frame.width(width);
        frame.height(height);
        Av.check(av_frame_get_buffer(frame, 0), "cannot allocate a " + width + "x" + height + " frame");
        packet = av_packet_alloc();
    }

    /** The encoder called {@code name}, or a {@link MediaException} saying it is not in this FFmpeg build. */
    static AVCodec find(String name) {
        Av.init();
        AVCodec codec = avcodec_find_encoder_by_name(name);
        if (codec == null || codec.isNull()) {
            throw new MediaException("video encoder '" + name + "' is not in this FFmpeg build");
        }
        return codec;
    }

    private void applyQuality(EncoderSettings settings, AVDictionary options) {
        int q = settings.quality();
        if (q < 0) {
            return;
        }
        switch (codecName) {
            case "libopenh264" -> {
                // Constant QP: pinning both ends of OpenH264's QP range leaves its rate control no choice.
                context.qmin(q);
                context.qmax(q);
            }
            case "h264_nvenc", "hevc_nvenc", "av1_nvenc" -> {
                av_dict_set(options, "rc", "constqp", 0);
                av_dict_set(options, "qp", Integer.toString(q), 0);
            }
            case "libx264", "libx265", "libvpx-vp9", "libaom-av1", "libsvtav1" -> {
                av_dict_set(options, "crf", Integer.toString(q), 0);
                if (codecName.equals("libvpx-vp9") || codecName.equals("libaom-av1")) {
                    context.bit_rate(0);
                }
            }
            default -> {
                context.flags(context.flags() | AV_CODEC_FLAG_QSCALE);
                context.global_quality(q * FF_QP2LAMBDA);
            }
        }
    }

    AVCodecContext context() {
        return context;
    }

    AVRational timeBase() {
        return context.time_base();
    }

    int width() {
        return context.width();
    }

    int height() {
        return context.height();
    }

    /**
     * The colour matrix in which this encoder's settings take Y'CbCr 4:2:0 frames as they are (pixel format
     * yuv420p, 8-bit limited range) for a source tagged {@code colorspace} (an AVColorSpace, which the encoder
     * keeps): empty where they need RGB converted here (another pixel format, or a colour space that is not one
     * matrix: RGB, YCgCo, constant luminance, ...).
     */
    static Optional<YuvMatrix> yuv420Matrix(EncoderSettings settings, int colorspace) {
        if (av_get_pix_fmt(settings.pixelFormat()) != AV_PIX_FMT_YUV420P) {
            return Optional.empty();
        }
        return Optional.ofNullable(switch (colorspace) {
            case AVCOL_SPC_BT709 -> YuvMatrix.BT709;
            case AVCOL_SPC_FCC -> YuvMatrix.FCC;
            case AVCOL_SPC_BT470BG, AVCOL_SPC_SMPTE170M, AVCOL_SPC_UNSPECIFIED -> YuvMatrix.BT601;
            case AVCOL_SPC_SMPTE240M -> YuvMatrix.SMPTE240M;
            case AVCOL_SPC_BT2020_NCL -> YuvMatrix.BT2020;
            default -> null;
        });
    }

    /** Encodes {@code image} at {@code pts} (in {@link #timeBase()}); packets produced go to {@code sink}. */
    void encode(Picture image, long pts, Consumer<AVPacket> sink) {
        if (image.width() != context.width() || image.height() != context.height()) {
            throw new MediaException("upscaled frame is " + image.width() + "x" + image.height()
                    + ", expected " + context.width() + "x" + context.height());
        }
        Av.check(av_frame_make_writable(frame), "cannot reuse the encoder frame");
        if (image instanceof Yuv420Image yuv) {
            copyPlanes(yuv);
        } else {
            RgbImage rgb = (RgbImage) image;
            converter.fromRgb(rgb.pixels(), rgb.width(), rgb.height(), frame, colorspace);
        }
        frame.pts(pts);
        frame.pict_type(AV_PICTURE_TYPE_NONE);
        Av.check(avcodec_send_frame(context, frame), "video encoder " + codecName + " refused a frame");
        drain(sink);
    }

    /** Copies {@code image}'s planes into the frame row by row (its rows are padded to the frame's line sizes). */
    private void copyPlanes(Yuv420Image image) {
        if (!planesMatrix.equals(Optional.of(image.matrix()))) {
            throw new MediaException("a " + image.matrix().name() + " 4:2:0 frame for an encoder of pixel format "
                    + av_get_pix_fmt_name(frame.format()).getString() + " and colour space " + colorspace);
        }
        copyPlane(image.y(), image.width(), image.height(), 0);
        copyPlane(image.cb(), image.chromaWidth(), image.chromaHeight(), 1);
        copyPlane(image.cr(), image.chromaWidth(), image.chromaHeight(), 2);
    }

    private void copyPlane(byte[] plane, int width, int height, int index) {
        BytePointer data = frame.data(index);
        int stride = frame.linesize(index);
        for (int row = 0; row < height; row++) {
            data.position((long) row * stride).put(plane, row * width, width);
        }
        data.position(0);
    }

    /** Signals the end of the input and passes the remaining packets to {@code sink}. */
    void flush(Consumer<AVPacket> sink) {
        Av.check(avcodec_send_frame(context, null), "cannot flush video encoder " + codecName);
        drain(sink);
    }

    private void drain(Consumer<AVPacket> sink) {
        while (true) {
            int ret = avcodec_receive_packet(context, packet);
            if (ret == AVERROR_EAGAIN() || ret == AVERROR_EOF()) {
                return;
            }
            Av.check(ret, "video encoder " + codecName + " failed");
            try {
                sink.accept(packet);
            } finally {
                av_packet_unref(packet);
            }
        }
    }

    @Override
    public void close() {
        avcodec_free_context(context);
        av_frame_free(frame);
        av_packet_free(packet);
        converter.close();
    }
}
