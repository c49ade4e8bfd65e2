package org.oisrstream.jobs.live;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Live inputs FFmpeg reads (UDP/TCP MPEG-TS, RTSP, SRT, RTP, HTTP, HLS): how to tell a URL from a file path,
 * and the FFmpeg options that bound every network wait, so an address with nothing behind it fails the
 * open, and a source that stops sending ends the stream, after {@code timeout} instead of hanging.
 */
public final class LiveSources {

    /** The default bound on a network wait. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);

    private static final Pattern URL = Pattern.compile("^([A-Za-z][A-Za-z0-9+.-]*)://.*");

    private LiveSources() {
    }

    /** True for {@code scheme://...} sources other than {@code file://}. */
    public static boolean isUrl(String source) {
        var m = URL.matcher(source);
        return m.matches() && !m.group(1).equalsIgnoreCase("file");
    }

    /** The URL's scheme in lower case, or null for a path. */
    public static String scheme(String source) {
        var m = URL.matcher(source);
        return m.matches() ? m.group(1).toLowerCase(Locale.ROOT) : null;
    }

    /**
     * FFmpeg input options for {@code source}: {@code rw_timeout} (every protocol) and the protocol's own
     * {@code timeout} (UDP/RTP: no data; RTSP, TCP, SRT, HTTP: socket I/O), both in µs, then {@code userOptions}
     * on top (they win). For a file path, {@code userOptions} alone.
     */
    public static Map<String, String> inputOptions(String source, Duration timeout, Map<String, String> userOptions) {
        Map<String, String> options = new LinkedHashMap<>();
        String scheme = scheme(source);
        if (scheme != null && isUrl(source)) {
            String micros = Long.toString(timeout.toNanos() / 1_000);
            options.put("rw_timeout", micros);
            switch (scheme) {
                case "udp", "rtp", "rtsp", "rtsps", "tcp", "srt", "http", "https" -> options.put("timeout", micros);
                default -> {
                }
            }
        }
        options.putAll(userOptions);
        return options;
    }
}
