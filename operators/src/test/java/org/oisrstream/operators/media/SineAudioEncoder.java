package org.oisrstream.operators.media;

import static org.bytedeco.ffmpeg.global.avcodec.AV_CODEC_FLAG_GLOBAL_HEADER;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_alloc;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_free;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_unref;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_alloc_context3;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_find_encoder_by_name;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_free_context;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_open2;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_receive_packet;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_send_frame;
import static org.bytedeco.ffmpeg.global.avutil.AVERROR_EAGAIN;
import static org.bytedeco.ffmpeg.global.avutil.AVERROR_EOF;
import static org.bytedeco.ffmpeg.global.avutil.AV_SAMPLE_FMT_FLT;
import static org.bytedeco.ffmpeg.global.avutil.AV_SAMPLE_FMT_FLTP;
import static org.bytedeco.ffmpeg.global.avutil.av_channel_layout_copy;
import static org.bytedeco.ffmpeg.global.avutil.av_channel_layout_default;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_alloc;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_free;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_get_buffer;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_make_writable;
import static org.bytedeco.ffmpeg.global.avutil.av_make_q;

import java.util.function.Consumer;
import org.bytedeco.ffmpeg.avcodec.AVCodec;
import org.bytedeco.ffmpeg.avcodec.AVCodecContext;
import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.ffmpeg.avutil.AVDictionary;
import org.bytedeco.ffmpeg.avutil.AVFrame;
import org.bytedeco.javacpp.FloatPointer;

/**
 * Encodes a sine tone, for generated test clips: AAC (FFmpeg's native encoder, planar float) or, for tests of
 * codecs MPEG-TS cannot carry, {@code pcm_f32le} (packed float).
 */
final class SineAudioEncoder implements AutoCloseable {

    private final AVCodecContext context;
    private final AVFrame frame = av_frame_alloc();
    private final AVPacket packet = av_packet_alloc();
    private final double hertz;
    private final boolean planar;
    private long samplesDone;

    SineAudioEncoder(int sampleRate, int channels, double hertz, boolean globalHeader) {
        this("aac", sampleRate, channels, hertz, globalHeader);
    }

    SineAudioEncoder(String codecName, int sampleRate, int channels, double hertz, boolean globalHeader) {
        Av.init();
        this.hertz = hertz;
        this.planar = codecName.equals("aac");
        if (!planar && !codecName.equals("pcm_f32le")) {
            throw new IllegalArgumentException("tone encoder supports aac and pcm_f32le, not " + codecName);
        }
        int sampleFormat = planar ? AV_SAMPLE_FMT_FLTP : AV_SAMPLE_FMT_FLT;
        AVCodec codec = avcodec_find_encoder_by_name(codecName);
        context = avcodec_alloc_context3(codec);
        context.sample_fmt(sampleFormat);
        context.sample_rate(sampleRate);
        av_channel_layout_default(context.ch_layout(), channels);
        context.bit_rate(32_000L * channels);
        context.time_base(av_make_q(1, sampleRate));
        if (globalHeader) {
            context.flags(context.flags() | AV_CODEC_FLAG_GLOBAL_HEADER);
        }
        Av.check(avcodec_open2(context, codec, (AVDictionary) null), "cannot open the " + codecName + " encoder");
        frame.format(sampleFormat);
        frame.sample_rate(sampleRate);
        frame.nb_samples(context.frame_size() > 0 ? context.frame_size() : 1024);
        Av.check(av_channel_layout_copy(frame.ch_layout(), context.ch_layout()), "cannot set the channel layout");
        Av.check(av_frame_get_buffer(frame, 0), "cannot allocate an audio frame");
    }

    AVCodecContext context() {
        return context;
    }

    /** Samples encoded so far, i.e. the timestamp (in 1/sampleRate) of the next frame. */
    long position() {
        return samplesDone;
    }

    /** Encodes the next frame of tone; packets (stamped in 1/sampleRate) go to {@code sink}. */
    void encodeNext(Consumer<AVPacket> sink) {
        Av.check(av_frame_make_writable(frame), "cannot reuse the audio frame");
        int n = frame.nb_samples();
        float[] samples = new float[n];
        for (int i = 0; i < n; i++) {
            samples[i] = (float) (0.3 * Math.sin(2 * Math.PI * hertz * (samplesDone + i) / context.sample_rate()));
        }
        int channels = context.ch_layout().nb_channels();
        if (planar) {
            for (int c = 0; c < channels; c++) {
                new FloatPointer(frame.data(c)).put(samples);
            }
        } else {
            float[] packed = new float[n * channels];
            for (int i = 0; i < packed.length; i++) {
                packed[i] = samples[i / channels];
            }
            new FloatPointer(frame.data(0)).put(packed);
        }
        frame.pts(samplesDone);
        samplesDone += n;
        Av.check(avcodec_send_frame(context, frame), "AAC encoder refused a frame");
        drain(sink);
    }

    void flush(Consumer<AVPacket> sink) {
        Av.check(avcodec_send_frame(context, null), "cannot flush the AAC encoder");
        drain(sink);
    }

    private void drain(Consumer<AVPacket> sink) {
        while (true) {
            int ret = avcodec_receive_packet(context, packet);
            if (ret == AVERROR_EAGAIN() || ret == AVERROR_EOF()) {
                return;
            }
            Av.check(ret, "AAC encoder failed");
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
    }
}
