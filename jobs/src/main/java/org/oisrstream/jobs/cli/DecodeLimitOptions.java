package org.oisrstream.jobs.cli;

import java.time.Duration;
import org.oisrstream.operators.media.DecodeLimits;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/** How much work one chunk may ask for ({@link DecodeLimits}), for {@code oisr job} and {@code oisr upscale}. */
public final class DecodeLimitOptions {

    @Option(names = "--max-width", defaultValue = "" + DecodeLimits.DEFAULT_MAX_WIDTH, paramLabel = "PX",
            description = "Widest input frame a chunk may have (default: ${DEFAULT-VALUE}).")
    int maxWidth;

    @Option(names = "--max-height", defaultValue = "" + DecodeLimits.DEFAULT_MAX_HEIGHT, paramLabel = "PX",
            description = "Tallest input frame (default: ${DEFAULT-VALUE}).")
    int maxHeight;

    @Option(names = "--max-pixels", defaultValue = "" + DecodeLimits.DEFAULT_MAX_PIXELS, paramLabel = "N",
            description = "Largest input frame, width x height (default: ${DEFAULT-VALUE}).")
    long maxPixels;

    @Option(names = "--max-frames-per-chunk", defaultValue = "" + DecodeLimits.DEFAULT_MAX_FRAMES, paramLabel = "N",
            description = "Most frames in one chunk (default: ${DEFAULT-VALUE}).")
    int maxFrames;

    @Option(names = "--max-chunk-duration", defaultValue = "PT60S", paramLabel = "DURATION",
            description = "Longest chunk, ISO-8601 (default: ${DEFAULT-VALUE}).")
    Duration maxChunkDuration;

    @Option(names = "--max-decoded-bytes-per-chunk", defaultValue = "" + DecodeLimits.DEFAULT_MAX_DECODED_BYTES,
            paramLabel = "BYTES", description = "Most bytes of RGB frames one chunk may decode to (default: ${DEFAULT-VALUE}).")
    long maxDecodedBytes;

    @Option(names = "--max-output-pixels", defaultValue = "" + DecodeLimits.DEFAULT_MAX_OUTPUT_PIXELS, paramLabel = "N",
            description = "Largest upscaled frame given to the encoder, width x height (default: ${DEFAULT-VALUE}).")
    long maxOutputPixels;

    DecodeLimits limits(CommandLine cli) {
        try {
            return DecodeLimits.builder().maxWidth(maxWidth).maxHeight(maxHeight).maxPixels(maxPixels)
                    .maxFramesPerChunk(maxFrames).maxChunkDuration(maxChunkDuration)
                    .maxDecodedBytesPerChunk(maxDecodedBytes).maxOutputPixels(maxOutputPixels).build();
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(cli, e.getMessage());
        }
    }
}
