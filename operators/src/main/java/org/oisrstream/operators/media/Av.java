package org.oisrstream.operators.media;

import static org.bytedeco.ffmpeg.global.avutil.AV_LOG_DEBUG;
import static org.bytedeco.ffmpeg.global.avutil.AV_LOG_ERROR;
import static org.bytedeco.ffmpeg.global.avutil.AV_LOG_FATAL;
import static org.bytedeco.ffmpeg.global.avutil.AV_LOG_INFO;
import static org.bytedeco.ffmpeg.global.avutil.AV_LOG_QUIET;
import static org.bytedeco.ffmpeg.global.avutil.AV_LOG_VERBOSE;
import static org.bytedeco.ffmpeg.global.avutil.AV_LOG_WARNING;
import static org.bytedeco.ffmpeg.global.avutil.AV_NOPTS_VALUE;
import static org.bytedeco.ffmpeg.global.avutil.av_log_set_level;
import static org.bytedeco.ffmpeg.global.avutil.av_make_q;
import static org.bytedeco.ffmpeg.global.avutil.av_rescale_q;
import static org.bytedeco.ffmpeg.global.avutil.av_strerror;

import org.bytedeco.ffmpeg.avutil.AVRational;

/** Small helpers around the FFmpeg C API: error codes to messages, time base conversions. */
final class Av {

    static final AVRational MICROS = av_make_q(1, 1_000_000);

    /** System property choosing FFmpeg's own stderr logging: quiet, fatal (default), error, warning, info, debug. */
    static final String LOG_PROPERTY = "oisr.ffmpeg.log";

    static {
        // Failures reach callers as MediaException; FFmpeg's stderr lines about them are noise unless asked for.
        av_log_set_level(switch (System.getProperty(LOG_PROPERTY, "fatal")) {
            case "quiet" -> AV_LOG_QUIET;
            case "error" -> AV_LOG_ERROR;
            case "warning" -> AV_LOG_WARNING;
            case "info" -> AV_LOG_INFO;
            case "verbose" -> AV_LOG_VERBOSE;
            case "debug" -> AV_LOG_DEBUG;
            default -> AV_LOG_FATAL;
        });
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
