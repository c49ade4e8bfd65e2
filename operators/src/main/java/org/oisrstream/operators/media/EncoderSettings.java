package org.oisrstream.operators.media;

import java.io.Serializable;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * How {@link ChunkTranscoder} encodes upscaled video. Build with {@link #builder()}; {@link #defaults()} is
 * H.264 High profile through OpenH264 (the only software H.264 encoder in the LGPL FFmpeg build bytedeco
 * ships), constant QP 20. See {@code docs/encoding.md}.
 *
 * @param codec                  FFmpeg encoder name: libopenh264 (default), h264_nvenc, libx264 (needs the
 *                               GPL FFmpeg build), ... The output container is MPEG-TS, so the codec must be
 *                               one MPEG-TS carries (H.264, HEVC, MPEG-2, ...).
 * @param quality                constant-quality level, lower is better: the QP for libopenh264 and
 *                               h264_nvenc, the CRF for libx264/libx265, qscale for FFmpeg's native encoders;
 *                               -1 to use {@code bitrate} (or the encoder's default) instead
 * @param bitrate                target bits per second when {@code quality} is -1; 0 for the encoder default
 * @param preset                 encoder speed preset (the encoder's own "preset" option, e.g. "veryfast" for
 *                               libx264, "p4" for h264_nvenc); null for the default. libopenh264 has none.
 * @param pixelFormat            FFmpeg pixel format name of the encoded video, e.g. yuv420p
 * @param keyframeIntervalFrames frames between keyframes; 0 means only the first frame of each chunk, which
 *                               is always one (every output chunk starts with a keyframe)
 * @param threads                encoder and decoder threads per chunk; 0 lets FFmpeg choose. Default 1:
 *                               parallelism comes from transcoding several chunks at once.
 * @param options                further encoder-private FFmpeg options; unknown names are an error
 */
public record EncoderSettings(String codec, int quality, long bitrate, String preset, String pixelFormat,
        int keyframeIntervalFrames, int threads, Map<String, String> options) implements Serializable {

    public static final String DEFAULT_CODEC = "libopenh264";
    public static final int DEFAULT_QUALITY = 20;

    public EncoderSettings {
        Objects.requireNonNull(codec, "codec");
        Objects.requireNonNull(pixelFormat, "pixelFormat");
        if (quality < -1) {
            throw new IllegalArgumentException("quality must be -1 (unset) or >= 0, got " + quality);
        }
        if (bitrate < 0 || keyframeIntervalFrames < 0 || threads < 0) {
            throw new IllegalArgumentException("bitrate, keyframe interval and threads must be >= 0");
        }
        options = Map.copyOf(options);
    }

    public static EncoderSettings defaults() {
        return builder().build();
    }

    /**
     * Near-transparent settings for tests and archival: OpenH264 at QP 12, the lowest QP its rate control
     * uses (asking for less gives the same stream).
     */
    public static EncoderSettings highQuality() {
        return builder().quality(12).build();
    }

    public static Builder builder() {
        return new Builder();
    }

    public Builder toBuilder() {
        Builder b = new Builder().codec(codec).quality(quality).bitrate(bitrate).preset(preset)
                .pixelFormat(pixelFormat).keyframeIntervalFrames(keyframeIntervalFrames).threads(threads);
        options.forEach(b::option);
        return b;
    }

    public static final class Builder {
        private String codec = DEFAULT_CODEC;
        private int quality = DEFAULT_QUALITY;
        private long bitrate;
        private String preset;
        private String pixelFormat = "yuv420p";
        private int keyframeIntervalFrames;
        private int threads = 1;
        private final Map<String, String> options = new LinkedHashMap<>();

        public Builder codec(String value) {
            codec = value;
            return this;
        }

        public Builder quality(int value) {
            quality = value;
            return this;
        }

        /** Target bitrate in bits per second; also clears {@link #quality} so the bitrate governs. */
        public Builder bitrate(long value) {
            bitrate = value;
            quality = -1;
            return this;
        }

        public Builder preset(String value) {
            preset = value;
            return this;
        }

        public Builder pixelFormat(String value) {
            pixelFormat = value;
            return this;
        }

        public Builder keyframeIntervalFrames(int value) {
            keyframeIntervalFrames = value;
            return this;
        }

        public Builder threads(int value) {
            threads = value;
            return this;
        }

        public Builder option(String name, String value) {
            options.put(name, value);
            return this;
        }

        public EncoderSettings build() {
            return new EncoderSettings(codec, quality, bitrate, preset, pixelFormat, keyframeIntervalFrames,
                    threads, options);
        }
    }
}
