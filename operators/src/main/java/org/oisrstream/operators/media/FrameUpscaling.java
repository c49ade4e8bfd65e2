package org.oisrstream.operators.media;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.function.Function;
import org.oisrstream.model.image.Picture;
import org.oisrstream.model.image.RgbImage;
import org.oisrstream.model.image.Yuv420Image;
import org.oisrstream.model.image.YuvMatrix;
import org.oisrstream.model.infer.ImageUpscaler;

/**
 * How {@link ChunkTranscoder} hands decoded frames to a model: {@link #submit} starts upscaling some frames (in
 * decode order, all of one size) and returns at once or when there is room, so the transcoder can decode and
 * encode while earlier frames are still being upscaled.
 */
public interface FrameUpscaling {

    /**
     * Starts upscaling {@code frames}; the future completes with as many upscaled frames, in order. May block until
     * the upscaler has room. Exceptions thrown here propagate out of the transcoder unchanged; a future that
     * completes exceptionally has its cause rethrown unchanged when it is unchecked.
     */
    CompletableFuture<List<RgbImage>> submit(List<RgbImage> frames) throws InterruptedException;

    /**
     * Whether {@link #submitYuv420} works: the upscaler gives Y'CbCr 4:2:0 itself, so a yuv420p encoder takes its
     * frames without an RGB conversion.
     */
    default boolean upscalesToYuv420() {
        return false;
    }

    /** As {@link #submit}, the frames upscaled straight to Y'CbCr 4:2:0 in {@code matrix}. */
    default CompletableFuture<List<Yuv420Image>> submitYuv420(List<RgbImage> frames, YuvMatrix matrix)
            throws InterruptedException {
        throw new UnsupportedOperationException("this upscaler gives RGB only");
    }

    /**
     * Hands back an upscaled frame the transcoder has encoded (the encoder copies it), so the upscaler may reuse
     * its arrays for later frames ({@link ImageUpscaler#recycle}).
     */
    default void recycle(Picture frame) {
    }

    /** How many decoded frames the transcoder gathers before calling {@link #submit}. */
    int framesPerSubmit();

    /** Hears how long the transcoder's thread was blocked in {@link #submit} or waiting for a result (ns). */
    default void blocked(long nanos) {
    }

    /**
     * Waits for {@code result}; a failure's unchecked cause is rethrown unchanged (so callers can tell a failing
     * model from a bad chunk), a checked one wrapped in an {@link IllegalStateException}.
     */
    static <T> T await(CompletableFuture<T> result) throws InterruptedException {
        try {
            return result.get();
        } catch (ExecutionException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            if (cause instanceof RuntimeException re) {
                throw re;
            }
            if (cause instanceof Error err) {
                throw err;
            }
            throw new IllegalStateException(cause);
        }
    }

    /**
     * {@code upscaler} called directly, in batches of {@code framesPerCall}; decode and encode wait for it. It gives
     * Y'CbCr 4:2:0 where the upscaler does.
     */
    static FrameUpscaling blocking(ImageUpscaler upscaler, int framesPerCall) {
        return new FrameUpscaling() {
            @Override
            public CompletableFuture<List<RgbImage>> submit(List<RgbImage> frames) {
                return CompletableFuture.completedFuture(upscaler.upscale(frames));
            }

            @Override
            public boolean upscalesToYuv420() {
                return upscaler.upscalesToYuv420();
            }

            @Override
            public CompletableFuture<List<Yuv420Image>> submitYuv420(List<RgbImage> frames, YuvMatrix matrix) {
                return CompletableFuture.completedFuture(upscaler.upscaleYuv420(frames, matrix));
            }

            @Override
            public void recycle(Picture frame) {
                upscaler.recycle(frame);
            }

            @Override
            public int framesPerSubmit() {
                return framesPerCall;
            }
        };
    }

    /** A blocking batch function: frames go in batches of {@code framesPerCall}, decode and encode wait for it. */
    static FrameUpscaling blocking(Function<List<RgbImage>, List<RgbImage>> upscale, int framesPerCall) {
        return new FrameUpscaling() {
            @Override
            public CompletableFuture<List<RgbImage>> submit(List<RgbImage> frames) {
                return CompletableFuture.completedFuture(upscale.apply(frames));
            }

            @Override
            public int framesPerSubmit() {
                return framesPerCall;
            }
        };
    }
}
