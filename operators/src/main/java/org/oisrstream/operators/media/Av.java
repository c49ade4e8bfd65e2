package org.oisrstream.operators.media;

import static org.bytedeco.ffmpeg.global.avutil.AV_LOG_ERROR;
import static org.bytedeco.ffmpeg.global.avutil.AV_NOPTS_VALUE;
import static org.bytedeco.ffmpeg.global.avutil.av_log_set_level;
import static org.bytedeco.ffmpeg.global.avutil.av_make_q;
import static org.bytedeco.ffmpeg.global.avutil.av_rescale_q;
import static org.bytedeco.ffmpeg.global.avutil.av_strerror;

import org.bytedeco.ffmpeg.avutil.AVRational;

/** Small helpers around the FFmpeg C API: error codes to messages, time base conversions. */
final class Av {

    static final AVRational MICROS = av_make_q(1, 1_000_000);

    static {
        // FFmpeg logs to stderr by default; warnings from probing odd inputs are noise for a service.
        av_log_set_level(AV_LOG_ERROR);
    }

    private Av() {
    }

    /** Forces the static initialiser (log level) before the first FFmpeg call. */
    static void init() {
    }

    static String error(int code) {
        byte[] buf = new byte[256];
        av_strerror(code, buf, buf.length);
        int len = 0;
        while (len < buf.length && buf[len] != 0) {
            len++;
        }
        return new String(buf, 0, len, java.nio.charset.StandardCharsets.UTF_8);
    }

    /** Throws a {@link MediaException} "{@code what}: {@code ffmpeg message}" if {@code ret} is an error code. */
    static int check(int ret, String what) {
        if (ret < 0) {
            throw new MediaException(what + ": " + error(ret));
        }
        return ret;
    }

    static long toMicros(long ts, AVRational timeBase) {
        return ts == AV_NOPTS_VALUE ? AV_NOPTS_VALUE : av_rescale_q(ts, timeBase, MICROS);
    }

    static long fromMicros(long micros, AVRational timeBase) {
        return micros == AV_NOPTS_VALUE ? AV_NOPTS_VALUE : av_rescale_q(micros, MICROS, timeBase);
    }

    static AVRational copy(AVRational r) {
        return av_make_q(r.num(), r.den());
    }
}
