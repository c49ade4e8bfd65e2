package org.oisrstream.operators.media;

import java.io.Serializable;
import java.time.Duration;
import java.util.Objects;

/**
 * How much work one chunk may ask for, checked before that work is spent: the frame size when the chunk is
 * opened (from its container header, then every decoded frame), frames, duration and decoded bytes after its
 * packets are read and before the first one is decoded, and the upscaled size against the encoder before
 * anything is upscaled. A chunk over a limit is refused with a {@link MediaException} naming the limit.
 *
 * @param maxWidth                widest input frame, pixels
 * @param maxHeight               tallest input frame, pixels
 * @param maxPixels               largest input frame, width x height
 * @param maxFramesPerChunk       most video frames (packets) in one chunk
 * @param maxChunkDuration        longest span of video one chunk may cover
 * @param maxDecodedBytesPerChunk frames x width x height x 3 (the RGB frames the chunk decodes to)
 * @param maxOutputWidth          widest upscaled frame the encoder is given
 * @param maxOutputHeight         tallest upscaled frame the encoder is given
 * @param maxOutputPixels         largest upscaled frame, width x height
 */
public record DecodeLimits(int maxWidth, int maxHeight, long maxPixels, int maxFramesPerChunk,
        Duration maxChunkDuration, long maxDecodedBytesPerChunk, int maxOutputWidth, int maxOutputHeight,
        long maxOutputPixels) implements Serializable {

    /** 8K UHD: the largest input frame by default. */
    public static final int DEFAULT_MAX_WIDTH = 7680;
    public static final int DEFAULT_MAX_HEIGHT = 4320;
    public static final long DEFAULT_MAX_PIXELS = (long) DEFAULT_MAX_WIDTH * DEFAULT_MAX_HEIGHT;
    /** 30 s at 60 frames/s; chunks are normally 2 s. */
    public static final int DEFAULT_MAX_FRAMES = 1800;
    public static final Duration DEFAULT_MAX_DURATION = Duration.ofSeconds(60);
    /** 4 GiB of RGB frames: 2 s of 4K at 60 frames/s is 3 GB. */
    public static final long DEFAULT_MAX_DECODED_BYTES = 4L << 30;
    /** H.264 level 6.2's largest frame (139,264 macroblocks, e.g. 8192x4320); also HEVC level 6's width. */
    public static final int DEFAULT_MAX_OUTPUT_WIDTH = 8192;
    public static final int DEFAULT_MAX_OUTPUT_HEIGHT = 8192;
    public static final long DEFAULT_MAX_OUTPUT_PIXELS = 139_264L * 256;

    public DecodeLimits {
        Objects.requireNonNull(maxChunkDuration, "maxChunkDuration");
        positive("max width", maxWidth);
        positive("max height", maxHeight);
        positive("max pixels", maxPixels);
        positive("max frames per chunk", maxFramesPerChunk);
        positive("max chunk duration (ms)", maxChunkDuration.toMillis());
        positive("max decoded bytes per chunk", maxDecodedBytesPerChunk);
        positive("max output width", maxOutputWidth);
        positive("max output height", maxOutputHeight);
        positive("max output pixels", maxOutputPixels);
    }

    private static void positive(String what, long value) {
        if (value <= 0) {
            throw new IllegalArgumentException(what + " must be positive, got " + value);
        }
    }

    public static DecodeLimits defaults() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    public Builder toBuilder() {
        return new Builder().maxWidth(maxWidth).maxHeight(maxHeight).maxPixels(maxPixels)
                .maxFramesPerChunk(maxFramesPerChunk).maxChunkDuration(maxChunkDuration)
                .maxDecodedBytesPerChunk(maxDecodedBytesPerChunk).maxOutputWidth(maxOutputWidth)
                .maxOutputHeight(maxOutputHeight).maxOutputPixels(maxOutputPixels);
    }

    /** Refuses an input frame size over the limits; {@code where} names the chunk. */
    public void checkFrameSize(int width, int height, String where) {
        if (width > maxWidth || height > maxHeight || (long) width * height > maxPixels) {
            throw new MediaException(where + " has " + width + "x" + height + " video, over the decoding limit of "
                    + maxWidth + "x" + maxHeight + " and " + maxPixels + " pixels");
        }
    }

    /** Refuses an upscaled frame size over the limits. */
    public void checkOutputSize(int width, int height, String where) {
        if (width > maxOutputWidth || height > maxOutputHeight || (long) width * height > maxOutputPixels) {
            throw new MediaException(where + " would upscale to " + width + "x" + height + ", over the encoder limit of "
                    + maxOutputWidth + "x" + maxOutputHeight + " and " + maxOutputPixels + " pixels");
        }
    }

    /** Refuses a chunk with more than {@link #maxFramesPerChunk} frames. */
    public void checkFrames(long frames, String where) {
        if (frames > maxFramesPerChunk) {
            throw new MediaException(where + " has " + frames + " frames, more than the limit of " + maxFramesPerChunk
                    + " per chunk");
        }
    }

    /** Refuses a chunk covering more than {@link #maxChunkDuration}. */
    public void checkDuration(long micros, String where) {
        if (micros > maxChunkDuration.toNanos() / 1000) {
            throw new MediaException(where + " covers " + micros / 1000 + " ms of video, more than the limit of "
                    + maxChunkDuration.toMillis() + " ms per chunk");
        }
    }

    /** Refuses a chunk whose frames would decode to more than {@link #maxDecodedBytesPerChunk} bytes of RGB. */
    public void checkDecodedBytes(long frames, int width, int height, String where) {
        long bytes = frames * width * height * 3L;
        if (frames > 0 && (bytes / frames != (long) width * height * 3L || bytes > maxDecodedBytesPerChunk)) {
            throw new MediaException(where + " would decode to " + frames + " frames of " + width + "x" + height
                    + " (" + bytes + " bytes), more than the limit of " + maxDecodedBytesPerChunk + " bytes per chunk");
        }
    }

    public static final class Builder {
        private int maxWidth = DEFAULT_MAX_WIDTH;
        private int maxHeight = DEFAULT_MAX_HEIGHT;
        private long maxPixels = DEFAULT_MAX_PIXELS;
        private int maxFramesPerChunk = DEFAULT_MAX_FRAMES;
        private Duration maxChunkDuration = DEFAULT_MAX_DURATION;
        private long maxDecodedBytesPerChunk = DEFAULT_MAX_DECODED_BYTES;
        private int maxOutputWidth = DEFAULT_MAX_OUTPUT_WIDTH;
        private int maxOutputHeight = DEFAULT_MAX_OUTPUT_HEIGHT;
        private long maxOutputPixels = DEFAULT_MAX_OUTPUT_PIXELS;

        public Builder maxWidth(int v) { maxWidth = v; return this; }
        public Builder maxHeight(int v) { maxHeight = v; return this; }
        public Builder maxPixels(long v) { maxPixels = v; return this; }
        public Builder maxFramesPerChunk(int v) { maxFramesPerChunk = v; return this; }
        public Builder maxChunkDuration(Duration v) { maxChunkDuration = v; return this; }
        public Builder maxDecodedBytesPerChunk(long v) { maxDecodedBytesPerChunk = v; return this; }
        public Builder maxOutputWidth(int v) { maxOutputWidth = v; return this; }
        public Builder maxOutputHeight(int v) { maxOutputHeight = v; return this; }
        public Builder maxOutputPixels(long v) { maxOutputPixels = v; return this; }

        public DecodeLimits build() {
            return new DecodeLimits(maxWidth, maxHeight, maxPixels, maxFramesPerChunk, maxChunkDuration,
                    maxDecodedBytesPerChunk, maxOutputWidth, maxOutputHeight, maxOutputPixels);
        }
    }
}
