package org.oisrstream.operators.media;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Which FFmpeg protocols a user-given source may use ({@code oisr ingest}, {@code oisr upscale}): a local path
 * only {@code file}, a URL its own scheme and what that scheme is built on (rtsp: rtp, udp, tcp; https: tls, tcp),
 * plus whatever the user widens it with explicitly ({@code --allow-protocols}). Without this a local playlist,
 * DASH manifest or concat script could make the ingest read other files or fetch URLs.
 */
public final class InputPolicy {

    /** The FFmpeg option that holds the whitelist. */
    public static final String PROTOCOL_WHITELIST = "protocol_whitelist";

    private static final Pattern SCHEME = Pattern.compile("^([a-zA-Z][a-zA-Z0-9+.-]*):");

    private static final Map<String, List<String>> NEEDS = Map.ofEntries(
            Map.entry("file", List.of("file")),
            Map.entry("http", List.of("http", "tcp")),
            Map.entry("https", List.of("https", "tls", "tcp")),
            Map.entry("rtsp", List.of("rtsp", "rtp", "udp", "tcp")),
            Map.entry("rtsps", List.of("rtsps", "rtp", "srtp", "udp", "tcp", "tls")),
            Map.entry("rtmp", List.of("rtmp", "tcp")),
            Map.entry("rtmps", List.of("rtmps", "tls", "tcp")),
            Map.entry("rtp", List.of("rtp", "udp")),
            Map.entry("srtp", List.of("srtp", "rtp", "udp")),
            Map.entry("udp", List.of("udp")),
            Map.entry("tcp", List.of("tcp")),
            Map.entry("srt", List.of("srt", "udp")));

    private InputPolicy() {
    }

    /**
     * The protocols {@code source} may use: {@code file} for a path (or a device, with {@code format} given), a
     * URL's scheme and its transports, plus {@code extra}.
     *
     * @throws MediaException for a URL scheme this policy does not know and {@code extra} does not name
     */
    public static Set<String> protocolsFor(String source, String format, Collection<String> extra) {
        Set<String> allowed = new LinkedHashSet<>();
        var m = SCHEME.matcher(source);
        // "C:\video.mp4" is a Windows path, not a URL with scheme "c".
        boolean url = m.find() && m.group(1).length() > 1;
        if (!url) {
            allowed.add("file");
        } else {
            String scheme = m.group(1).toLowerCase(Locale.ROOT);
            List<String> needs = NEEDS.get(scheme);
            if (needs != null) {
                allowed.addAll(needs);
            } else if (format != null && !format.isBlank()) {
                allowed.add("file"); // a device name such as hw:0 for a forced device format, not a URL
            } else if (extra.stream().noneMatch(p -> p.equalsIgnoreCase(scheme))) {
                throw new MediaException("video source '" + source + "' uses the " + scheme + ": protocol, which is"
                        + " not allowed by default; allow it explicitly with --allow-protocols " + scheme);
            }
        }
        for (String p : extra) {
            if (!p.isBlank()) {
                allowed.add(p.strip().toLowerCase(Locale.ROOT));
            }
        }
        return allowed;
    }

    /**
     * {@code options} with {@value #PROTOCOL_WHITELIST} set from {@link #protocolsFor}, unless the caller set
     * the whitelist itself (an explicit FFmpeg option wins).
     */
    public static Map<String, String> restrict(String source, String format, Map<String, String> options,
                                               Collection<String> extra) {
        if (options.containsKey(PROTOCOL_WHITELIST)) {
            return options;
        }
        Map<String, String> out = new LinkedHashMap<>(options);
        out.put(PROTOCOL_WHITELIST, String.join(",", protocolsFor(source, format, extra)));
        return out;
    }
}
