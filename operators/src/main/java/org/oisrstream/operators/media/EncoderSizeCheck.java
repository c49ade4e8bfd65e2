package org.oisrstream.operators.media;

import static org.bytedeco.ffmpeg.global.avutil.AVCOL_SPC_UNSPECIFIED;
import static org.bytedeco.ffmpeg.global.avutil.av_make_q;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Asks the encoder itself whether it takes a frame size (by opening it once at that size), before a chunk of
 * that size is decoded and upscaled. Answers are remembered per settings and size: a stream's chunks all
 * have the same size, so the encoder is opened once per stream size, not per chunk.
 */
final class EncoderSizeCheck {

    private static final int MAX_REMEMBERED = 256;
    /** Settings and size to null (the encoder opens) or why it does not. */
    private static final Map<String, String> ANSWERS = new ConcurrentHashMap<>();

    private EncoderSizeCheck() {
    }

    static void check(EncoderSettings settings, int width, int height, String name) {
        String key = settings + "@" + width + "x" + height;
        String problem = ANSWERS.get(key);
        if (problem == null && !ANSWERS.containsKey(key)) {
            problem = probe(settings, width, height);
            if (ANSWERS.size() < MAX_REMEMBERED) {
                ANSWERS.put(key, problem == null ? "" : problem);
            }
        }
        if (problem != null && !problem.isEmpty()) {
            throw new MediaException(name + " would upscale to " + width + "x" + height + ", which the "
                    + settings.codec() + " encoder refuses: " + problem);
        }
    }

    private static String probe(EncoderSettings settings, int width, int height) {
        try (VideoEncoder probe = new VideoEncoder(settings, width, height, av_make_q(1, 1000), av_make_q(25, 1),
                false, AVCOL_SPC_UNSPECIFIED)) {
            return null;
        } catch (MediaException e) {
            return e.getMessage();
        }
    }
}
