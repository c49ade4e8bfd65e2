package org.oisrstream.jobs.live;

import java.util.Locale;

/**
 * What the viewer page shows next to the videos, served as {@code status.json} beside the playlists.
 *
 * @param model            the network (e.g. {@code lf-s})
 * @param scale            the upscaling factor
 * @param framesPerSecond  upscaled frames listed per second of wall time since the first one
 * @param latencySeconds   for the newest segment: from its source chunk being cut (its last frame captured,
 *                         for a live source) to the upscaled segment being listed; -1 while unknown
 * @param sourceSegments   segments in the source playlist
 * @param upscaledSegments segments in the upscaled playlist
 * @param ended            the upscaled playlist is closed
 */
public record LiveStatus(String model, int scale, double framesPerSecond, double latencySeconds, int sourceSegments,
                         int upscaledSegments, boolean ended) {

    public String toJson() {
        return String.format(Locale.ROOT, "{\"model\":\"%s\",\"scale\":%d,\"framesPerSecond\":%.3f,"
                        + "\"latencySeconds\":%.3f,\"sourceSegments\":%d,\"upscaledSegments\":%d,\"ended\":%b}\n",
                escape(model), scale, framesPerSecond, latencySeconds, sourceSegments, upscaledSegments, ended);
    }

    private static String escape(String s) {
        StringBuilder b = new StringBuilder(s.length());
        for (char c : s.toCharArray()) {
            if (c == '"' || c == '\\') {
                b.append('\\').append(c);
            } else if (c < 0x20) {
                b.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
            } else {
                b.append(c);
            }
        }
        return b.toString();
    }
}
