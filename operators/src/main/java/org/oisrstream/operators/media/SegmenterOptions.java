package org.oisrstream.operators.media;

import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * How {@link VideoSegmenter} cuts a source.
 *
 * @param chunkSeconds     minimum chunk length; a chunk ends at the first video keyframe at or after it
 * @param inputFormat      FFmpeg input format to force (e.g. "v4l2" for a camera device), or null to probe
 * @param inputOptions     FFmpeg demuxer/protocol options (e.g. rtsp_transport=tcp)
 * @param includeSubtitles whether subtitle streams travel with the chunks
 * @param progress         called after each chunk is cut, or null
 */
public record SegmenterOptions(double chunkSeconds, String inputFormat, Map<String, String> inputOptions,
        boolean includeSubtitles, Consumer<SegmenterProgress> progress) {

    public static final double DEFAULT_CHUNK_SECONDS = 2.0;

    public SegmenterOptions {
        if (!(chunkSeconds > 0) || Double.isInfinite(chunkSeconds)) {
            throw new IllegalArgumentException("chunk length must be a positive number of seconds, got " + chunkSeconds);
        }
        inputOptions = Map.copyOf(Objects.requireNonNull(inputOptions, "inputOptions"));
    }

    public static SegmenterOptions defaults() {
        return new SegmenterOptions(DEFAULT_CHUNK_SECONDS, null, Map.of(), true, null);
    }

    public SegmenterOptions withChunkSeconds(double seconds) {
        return new SegmenterOptions(seconds, inputFormat, inputOptions, includeSubtitles, progress);
    }

    public SegmenterOptions withInputFormat(String format) {
        return new SegmenterOptions(chunkSeconds, format, inputOptions, includeSubtitles, progress);
    }

    public SegmenterOptions withInputOptions(Map<String, String> options) {
        return new SegmenterOptions(chunkSeconds, inputFormat, options, includeSubtitles, progress);
    }

    public SegmenterOptions withSubtitles(boolean include) {
        return new SegmenterOptions(chunkSeconds, inputFormat, inputOptions, include, progress);
    }

    public SegmenterOptions withProgress(Consumer<SegmenterProgress> listener) {
        return new SegmenterOptions(chunkSeconds, inputFormat, inputOptions, includeSubtitles, listener);
    }
}
