package org.oisrstream.operators.media;

import static org.bytedeco.ffmpeg.global.avcodec.av_packet_rescale_ts;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_parameters_copy;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_parameters_from_context;
import static org.bytedeco.ffmpeg.global.avformat.AVFMT_NOFILE;
import static org.bytedeco.ffmpeg.global.avformat.AVIO_FLAG_WRITE;
import static org.bytedeco.ffmpeg.global.avformat.av_interleaved_write_frame;
import static org.bytedeco.ffmpeg.global.avformat.av_write_trailer;
import static org.bytedeco.ffmpeg.global.avformat.avformat_alloc_output_context2;
import static org.bytedeco.ffmpeg.global.avformat.avformat_free_context;
import static org.bytedeco.ffmpeg.global.avformat.avformat_new_stream;
import static org.bytedeco.ffmpeg.global.avformat.avformat_write_header;
import static org.bytedeco.ffmpeg.global.avformat.avio_closep;
import static org.bytedeco.ffmpeg.global.avformat.avio_open;
import static org.bytedeco.ffmpeg.global.avutil.av_dict_free;
import static org.bytedeco.ffmpeg.global.avutil.av_dict_set;

import java.util.Map;
import org.bytedeco.ffmpeg.avcodec.AVCodecContext;
import org.bytedeco.ffmpeg.avcodec.AVCodecParameters;
import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.ffmpeg.avformat.AVFormatContext;
import org.bytedeco.ffmpeg.avformat.AVIOContext;
import org.bytedeco.ffmpeg.avformat.AVStream;
import org.bytedeco.ffmpeg.avutil.AVDictionary;
import org.bytedeco.ffmpeg.avutil.AVRational;

/**
 * An FFmpeg output (in memory or a file): add streams, {@link #start}, write packets, {@link #finish}.
 * Packets are handed over with the time base they are stamped in and rescaled to the stream's.
 */
final class Muxer implements AutoCloseable {

    private final AVFormatContext context;
    private final MemoryIo memory;
    private final String name;
    private boolean fileOpen;
    private boolean started;
    private boolean finished;

    private Muxer(AVFormatContext context, MemoryIo memory, String name) {
        this.context = context;
        this.memory = memory;
        this.name = name;
    }

    /** A muxer for container {@code format} (FFmpeg short name, e.g. "matroska", "mpegts") into memory. */
    static Muxer toMemory(String format, int initialCapacity) {
        Av.init();
        AVFormatContext ctx = new AVFormatContext(null);
        Av.check(avformat_alloc_output_context2(ctx, null, format, null), "cannot create " + format + " muxer");
        MemoryIo io = MemoryIo.writer(ctx, initialCapacity);
        ctx.pb(io.context());
        return new Muxer(ctx, io, "in-memory " + format + " output");
    }

    /** A muxer writing {@code path}; the container is {@code format} or, if null, guessed from the extension. */
    static Muxer toFile(String path, String format) {
        Av.init();
        AVFormatContext ctx = new AVFormatContext(null);
        int ret = avformat_alloc_output_context2(ctx, null, format, path);
        if (ret < 0) {
            throw new MediaException("cannot choose a container for output '" + path + "': " + Av.error(ret));
        }
        Muxer muxer = new Muxer(ctx, null, "output '" + path + "'");
        if ((ctx.oformat().flags() & AVFMT_NOFILE) == 0) {
            AVIOContext pb = new AVIOContext(null);
            ret = avio_open(pb, path, AVIO_FLAG_WRITE);
            if (ret < 0) {
                muxer.close();
                throw new MediaException("cannot write output '" + path + "': " + Av.error(ret));
            }
            ctx.pb(pb);
            muxer.fileOpen = true;
        }
        return muxer;
    }

    AVFormatContext context() {
        return context;
    }

    /** Sets a global metadata entry (a Matroska tag, an MP4 udta item); call before {@link #start}. */
    void setMetadata(String key, String value) {
        AVDictionary dict = context.metadata();
        if (dict == null) {
            dict = new AVDictionary(null); // av_dict_set allocates it
        }
        av_dict_set(dict, key, value, 0);
        context.metadata(dict);
    }

    /** Adds a stream whose packets are copied from an input stream with these parameters; returns its index. */
    int addCopy(AVCodecParameters parameters, AVRational timeBase) {
        AVStream stream = avformat_new_stream(context, null);
        Av.check(avcodec_parameters_copy(stream.codecpar(), parameters), "cannot copy codec parameters to " + name);
        stream.codecpar().codec_tag(0);
        stream.time_base(Av.copy(timeBase));
        return stream.index();
    }

    /** Adds a stream fed by an open encoder; returns its index. */
    int addEncoded(AVCodecContext encoder) {
        AVStream stream = avformat_new_stream(context, null);
        Av.check(avcodec_parameters_from_context(stream.codecpar(), encoder), "cannot set up a stream in " + name);
        stream.time_base(Av.copy(encoder.time_base()));
        return stream.index();
    }

    /** True if encoders feeding this muxer must put parameter sets in extradata (MP4, Matroska). */
    boolean wantsGlobalHeader() {
        return (context.oformat().flags() & org.bytedeco.ffmpeg.global.avformat.AVFMT_GLOBALHEADER) != 0;
    }

    void start(Map<String, String> options) {
        AVDictionary dict = new AVDictionary(null);
        options.forEach((k, v) -> av_dict_set(dict, k, v, 0));
        try {
            Av.check(avformat_write_header(context, dict), "cannot start " + name);
        } finally {
            av_dict_free(dict);
        }
        started = true;
    }

    /** Writes {@code packet} (timestamps in {@code timeBase}) to stream {@code streamIndex}; takes its data. */
    void write(AVPacket packet, AVRational timeBase, int streamIndex) {
        packet.stream_index(streamIndex);
        av_packet_rescale_ts(packet, timeBase, context.streams(streamIndex).time_base());
        packet.pos(-1);
        Av.check(av_interleaved_write_frame(context, packet), "cannot write a packet to " + name);
    }

    /** Writes the trailer; for an in-memory muxer returns the bytes, else null. */
    byte[] finish() {
        Av.check(av_write_trailer(context), "cannot finish " + name);
        finished = true;
        return memory == null ? null : memory.toByteArray();
    }

    @Override
    public void close() {
        if (started && !finished) {
            av_write_trailer(context);
        }
        if (fileOpen) {
            avio_closep(context.pb());
            context.pb(null);
            fileOpen = false;
        }
        if (!context.isNull()) {
            if (memory != null) {
                context.pb(null);
            }
            avformat_free_context(context);
        }
        if (memory != null) {
            memory.close();
        }
    }
}
