package org.oisrstream.operators.media;

import static org.bytedeco.ffmpeg.global.avformat.av_find_input_format;
import static org.bytedeco.ffmpeg.global.avformat.av_read_frame;
import static org.bytedeco.ffmpeg.global.avformat.avformat_alloc_context;
import static org.bytedeco.ffmpeg.global.avformat.avformat_close_input;
import static org.bytedeco.ffmpeg.global.avformat.avformat_find_stream_info;
import static org.bytedeco.ffmpeg.global.avformat.avformat_free_context;
import static org.bytedeco.ffmpeg.global.avformat.avformat_open_input;
import static org.bytedeco.ffmpeg.global.avutil.AVERROR_EOF;
import static org.bytedeco.ffmpeg.global.avutil.AVERROR_EXIT;
import static org.bytedeco.ffmpeg.global.avutil.av_dict_free;
import static org.bytedeco.ffmpeg.global.avutil.av_dict_set;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.ffmpeg.avformat.AVFormatContext;
import org.bytedeco.ffmpeg.avformat.AVIOInterruptCB;
import org.bytedeco.ffmpeg.avformat.AVInputFormat;
import org.bytedeco.ffmpeg.avformat.AVStream;
import org.bytedeco.ffmpeg.avutil.AVDictionary;
import org.bytedeco.ffmpeg.global.avdevice;
import org.bytedeco.javacpp.Pointer;
import org.slf4j.LoggerFactory;

/** An open FFmpeg input (file, URL, device or in-memory chunk) that hands out packets in file order. */
final class Demuxer implements AutoCloseable {

    /** Stop flags of open sources, found by the interrupt callback through its opaque (the format context). */
    private static final Map<Long, AtomicBoolean> STOPS = new ConcurrentHashMap<>();

    private static final AVIOInterruptCB.Callback_Pointer INTERRUPT = new AVIOInterruptCB.Callback_Pointer() {
        @Override
        public int call(Pointer opaque) {
            AtomicBoolean stop = STOPS.get(opaque.address());
            return stop != null && stop.get() ? 1 : 0;
        }
    }.retainReference();

    /** AVERROR(EIO) and AVERROR(ETIMEDOUT) on Linux: how FFmpeg reports a network read that timed out. */
    private static final int AVERROR_EIO = -5;
    private static final int AVERROR_ETIMEDOUT = -110;

    private final AVFormatContext context;
    private final MemoryIo memory;
    /** Opened from a URL: read timeouts end the stream instead of failing it. */
    private boolean network;
    private final String name;
    private final long stopKey;
    private final AtomicBoolean stop;

    private Demuxer(AVFormatContext context, MemoryIo memory, String name, long stopKey, AtomicBoolean stop) {
        this.context = context;
        this.memory = memory;
        this.name = name;
        this.stopKey = stopKey;
        this.stop = stop;
    }

    /**
     * Opens a path, URL (rtsp://, http://, ...) or, with {@code format} such as {@code v4l2}, a device.
     * {@code options} are FFmpeg demuxer/protocol options, e.g. {@code rtsp_transport=tcp}.
     */
    static Demuxer open(String source, String format, Map<String, String> options) {
        Av.init();
        AVInputFormat inputFormat = null;
        if (format != null && !format.isBlank()) {
            String devices = registerDevices();
            inputFormat = av_find_input_format(format);
            if (inputFormat == null || inputFormat.isNull()) {
                throw new MediaException("unknown input format '" + format + "' for video source '" + source + "'"
                        + (devices == null ? "" : " (capture devices are unavailable: " + devices + ")"));
            }
        }
        AVDictionary dict = new AVDictionary(null);
        InputPolicy.restrict(source, format, options, java.util.List.of()).forEach((k, v) -> av_dict_set(dict, k, v, 0));
        AVFormatContext ctx = avformat_alloc_context();
        long key = ctx.address();
        AtomicBoolean stop = new AtomicBoolean();
        STOPS.put(key, stop);
        ctx.interrupt_callback().callback(INTERRUPT).opaque(ctx);
        try {
            int ret = avformat_open_input(ctx, source, inputFormat, dict);
            if (ret < 0) {
                STOPS.remove(key);
                throw new MediaException("cannot open video source '" + source + "': " + Av.error(ret));
            }
        } finally {
            av_dict_free(dict);
        }
        Demuxer demuxer = new Demuxer(ctx, null, "video source '" + source + "'", key, stop);
        demuxer.network = source.matches("^[A-Za-z][A-Za-z0-9+.-]*://.*") && !source.startsWith("file:");
        demuxer.findStreamInfo();
        return demuxer;
    }

    private static volatile String deviceProblem;
    private static volatile boolean devicesTried;

    /**
     * Makes capture devices (v4l2, alsa, x11grab, ...) known to FFmpeg. libavdevice links against system
     * libraries (e.g. libpulse) that a server may lack; then only devices are missing, files and URLs work.
     *
     * @return null if devices are available, else why not
     */
    private static synchronized String registerDevices() {
        if (!devicesTried) {
            devicesTried = true;
            try {
                avdevice.avdevice_register_all();
            } catch (UnsatisfiedLinkError | NoClassDefFoundError e) {
                String why = String.valueOf(e.getMessage());
                int cause = why.lastIndexOf(": ");
                deviceProblem = "libavdevice does not load" + (cause < 0 ? "" : ": " + why.substring(cause + 2));
            }
        }
        return deviceProblem;
    }

    /**
     * Opens an in-memory chunk as {@code format} and nothing else: the demuxer is forced (no probing), no
     * protocol may be opened from inside it and no other container. {@code name} names it in error messages
     * (e.g. "chunk 7 of cam1"). With {@code limits}, a video stream whose container header announces a frame
     * over them is refused before any packet is decoded (stream analysis decodes some).
     */
    static Demuxer open(byte[] bytes, ChunkFormat format, String name, DecodeLimits limits) {
        String problem = bytes == null || bytes.length == 0 ? null : format.signatureProblem(bytes);
        if (problem != null) {
            throw new MediaException(name + " is not a readable " + format.displayName() + " chunk: " + problem);
        }
        return openMemory(bytes, format.inputFormat(), format.openOptions(), format.displayName() + " chunk", name,
                limits);
    }

    /** {@link #open(byte[], ChunkFormat, String, DecodeLimits)} with any demuxer and options (tests of the walls). */
    static Demuxer openMemory(byte[] bytes, AVInputFormat inputFormat, Map<String, String> options, String what,
                              String name, DecodeLimits limits) {
        Av.init();
        if (bytes == null || bytes.length == 0) {
            throw new MediaException(name + " is empty");
        }
        AVFormatContext ctx = avformat_alloc_context();
        MemoryIo io = MemoryIo.reader(ctx, bytes);
        ctx.pb(io.context());
        ctx.flags(ctx.flags() | AVFormatContext.AVFMT_FLAG_CUSTOM_IO);
        AVDictionary dict = new AVDictionary(null);
        options.forEach((k, v) -> av_dict_set(dict, k, v, 0));
        int ret;
        try {
            ret = avformat_open_input(ctx, (String) null, inputFormat, dict);
        } finally {
            av_dict_free(dict);
        }
        if (ret < 0) {
            // avformat_open_input has freed the context; the custom I/O is ours to free.
            io.close();
            if (!ctx.isNull()) {
                avformat_free_context(ctx);
            }
            throw new MediaException(name + " is not a readable " + what + ": " + Av.error(ret));
        }
        Demuxer demuxer = new Demuxer(ctx, io, name, 0, new AtomicBoolean());
        if (limits != null) {
            try {
                demuxer.checkVideoSizes(limits);
            } catch (RuntimeException e) {
                demuxer.close();
                throw e;
            }
        }
        demuxer.findStreamInfo();
        return demuxer;
    }

    private void checkVideoSizes(DecodeLimits limits) {
        for (int i = 0; i < streamCount(); i++) {
            var par = stream(i).codecpar();
            if (par.codec_type() == org.bytedeco.ffmpeg.global.avutil.AVMEDIA_TYPE_VIDEO) {
                limits.checkFrameSize(par.width(), par.height(), name);
            }
        }
    }

    private void findStreamInfo() {
        int ret = avformat_find_stream_info(context, (AVDictionary) null);
        if (ret < 0) {
            close();
            throw new MediaException("cannot read stream information of " + name + ": " + Av.error(ret));
        }
    }

    String name() {
        return name;
    }

    AVFormatContext context() {
        return context;
    }

    int streamCount() {
        return context.nb_streams();
    }

    AVStream stream(int index) {
        if (index < 0 || index >= context.nb_streams()) {
            throw new IllegalArgumentException("stream " + index + " of " + name + " does not exist");
        }
        return context.streams(index);
    }

    /**
     * Makes the source end: a read blocked in FFmpeg returns (within about 0.1 s for network sources) and
     * {@link #read} reports the end from then on. Safe to call from any thread.
     */
    void stop() {
        stop.set(true);
    }

    boolean stopped() {
        return stop.get();
    }

    /** Reads the next packet into {@code packet}, which must be blank (the caller unrefs it after use); false at the end. */
    boolean read(AVPacket packet) {
        if (stop.get()) {
            return false;
        }
        int ret = av_read_frame(context, packet);
        if (ret == AVERROR_EOF() || (ret == AVERROR_EXIT() && stop.get())) {
            return false;
        }
        if (network && (ret == AVERROR_EIO || ret == AVERROR_ETIMEDOUT)) {
            // A live source that stopped sending for longer than its rw_timeout/timeout: the stream ends here,
            // so the chunk being cut still goes out as the last one.
            LoggerFactory.getLogger(Demuxer.class).warn("{} stopped sending ({}): ending the stream", name, Av.error(ret));
            stop.set(true);
            return false;
        }
        if (ret < 0) {
            throw new MediaException("cannot read " + name + ": " + Av.error(ret));
        }
        return true;
    }

    @Override
    public void close() {
        if (!context.isNull()) {
            avformat_close_input(context);
        }
        if (stopKey != 0) {
            STOPS.remove(stopKey);
        }
        if (memory != null) {
            memory.close();
        }
    }
}
