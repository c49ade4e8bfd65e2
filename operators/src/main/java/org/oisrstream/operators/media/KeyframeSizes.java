package org.oisrstream.operators.media;

import static org.bytedeco.ffmpeg.global.avcodec.av_packet_clone;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_free;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_alloc_context3;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_find_decoder;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_flush_buffers;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_free_context;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_open2;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_parameters_to_context;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_receive_frame;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_send_packet;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_alloc;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_free;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_unref;

import java.util.Locale;
import org.bytedeco.ffmpeg.avcodec.AVCodec;
import org.bytedeco.ffmpeg.avcodec.AVCodecContext;
import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.ffmpeg.avformat.AVStream;
import org.bytedeco.ffmpeg.avutil.AVDictionary;
import org.bytedeco.ffmpeg.avutil.AVFrame;

/**
 * Learns the frame size of a video stream's keyframes by decoding each one on its own (never the frames between),
 * so a source whose resolution changes is noticed where it is cut into chunks: the container's stream parameters
 * keep the first size (an MPEG-TS stream carries the new size only in its bitstream).
 */
final class KeyframeSizes implements AutoCloseable {

    /** A frame size. */
    record Size(int width, int height) {
        @Override
        public String toString() {
            return width + "x" + height;
        }
    }

    private final AVCodecContext context;
    private final AVFrame frame = av_frame_alloc();

    /** A stream without a decoder in this FFmpeg build is not watched ({@link #of} answers null). */
    KeyframeSizes(AVStream stream) {
        Av.init();
        AVCodec codec = avcodec_find_decoder(stream.codecpar().codec_id());
        AVCodecContext ctx = codec == null || codec.isNull() ? null : avcodec_alloc_context3(codec);
        if (ctx != null && (avcodec_parameters_to_context(ctx, stream.codecpar()) < 0
                || avcodec_open2(ctx, codec, (AVDictionary) null) < 0)) {
            avcodec_free_context(ctx);
            ctx = null;
        }
        if (ctx != null) {
            ctx.pkt_timebase(Av.copy(stream.time_base()));
        }
        this.context = ctx;
    }

    /** The size {@code keyframe} decodes to, or null if it does not decode on its own (then nothing is said). */
    Size of(AVPacket keyframe) {
        if (context == null) {
            return null;
        }
        AVPacket copy = av_packet_clone(keyframe);
        try {
            if (copy == null || avcodec_send_packet(context, copy) < 0) {
                return null;
            }
            avcodec_send_packet(context, (AVPacket) null);
            Size size = null;
            while (avcodec_receive_frame(context, frame) >= 0) {
                if (size == null) {
                    size = new Size(frame.width(), frame.height());
                }
                av_frame_unref(frame);
            }
            return size;
        } finally {
            av_packet_free(copy);
            avcodec_flush_buffers(context);
        }
    }

    /** The sentence that refuses a stream whose frame size changes from {@code from} to {@code to} at {@code micros}. */
    static String change(String name, Size from, Size to, long micros) {
        String at = micros == Long.MIN_VALUE ? "" : String.format(Locale.ROOT, " at %.3f s", micros / 1e6);
        return name + " changes the video's frame size from " + from + " to " + to + at + ": a stream must keep one"
                + " frame size to be upscaled into one file; convert the source to one size first (e.g. ffmpeg -i IN"
                + " -vf scale=" + from.width() + ":" + from.height() + " OUT)";
    }

    @Override
    public void close() {
        if (context != null) {
            avcodec_free_context(context);
        }
        av_frame_free(frame);
    }
}
