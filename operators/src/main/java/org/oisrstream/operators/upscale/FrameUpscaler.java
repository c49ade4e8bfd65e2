package org.oisrstream.operators.upscale;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.function.Function;
import org.oisrstream.model.image.Picture;
import org.oisrstream.model.image.RgbImage;
import org.oisrstream.model.image.Yuv420Image;
import org.oisrstream.model.image.YuvMatrix;
import org.oisrstream.operators.infer.InferenceService;
import org.oisrstream.operators.media.FrameUpscaling;

/**
 * What a {@link ChunkProcessor} sees of the shared {@link InferenceService}: it upscales frames and blocks while
 * the operator instance already holds its limit of frames ({@link UpscaleSettings#framesInFlight()}), so memory
 * stays bounded however many chunks are open at once.
 */
public final class FrameUpscaler {

    private final InferenceService service;
    private final Semaphore budget;
    private final int limit;
    private final java.util.function.LongConsumer waited;

    public FrameUpscaler(InferenceService service, Semaphore budget, int limit) {
        this(service, budget, limit, nanos -> { });
    }

    /** @param waited hears, on the calling thread, how long each {@link #upscale(List)} call blocked (ns) */
    public FrameUpscaler(InferenceService service, Semaphore budget, int limit, java.util.function.LongConsumer waited) {
        this.service = service;
        this.budget = budget;
        this.limit = limit;
        this.waited = waited;
    }

    public int scale() {
        return service.scale();
    }

    /** The most frames one call to {@link #upscale(List)} may pass. */
    public int maxFramesPerCall() {
        return limit;
    }

    /**
     * The transcoder's view of this upscaler: one frame per submit (the shared service batches what is queued), so
     * a chunk keeps decoding and encoding while its earlier frames are upscaled; blocks while the budget is full.
     */
    public FrameUpscaling pipelined() {
        return new FrameUpscaling() {
            @Override
            public CompletableFuture<List<RgbImage>> submit(List<RgbImage> frames) throws InterruptedException {
                return FrameUpscaler.this.submit(frames);
            }

            @Override
            public boolean upscalesToYuv420() {
                return service.upscalesToYuv420();
            }

            @Override
            public CompletableFuture<List<Yuv420Image>> submitYuv420(List<RgbImage> frames, YuvMatrix matrix)
                    throws InterruptedException {
                return FrameUpscaler.this.submit(frames, f -> service.submitAllYuv420(f, matrix));
            }

            @Override
            public void recycle(Picture frame) {
                service.recycle(frame);
            }

            @Override
            public int framesPerSubmit() {
                return 1;
            }

            @Override
            public void blocked(long nanos) {
                waited.accept(nanos);
            }
        };
    }

    /**
     * Starts upscaling frames of one size (at most {@link #maxFramesPerCall()}), once the budget has room for them;
     * they count against the budget until the result is complete.
     */
    public CompletableFuture<List<RgbImage>> submit(List<RgbImage> frames) throws InterruptedException {
        return submit(frames, service::submitAll);
    }

    private <T> CompletableFuture<List<T>> submit(List<RgbImage> frames,
            Function<List<RgbImage>, CompletableFuture<List<T>>> upscale) throws InterruptedException {
        if (frames.size() > limit) {
            throw new IllegalArgumentException(frames.size() + " frames in one call, the budget holds " + limit);
        }
        budget.acquire(frames.size());
        try {
            return upscale.apply(frames).whenComplete((result, failure) -> budget.release(frames.size()));
        } catch (RuntimeException | Error e) {
            budget.release(frames.size());
            throw e;
        }
    }

    public RgbImage upscale(RgbImage frame) throws InterruptedException {
        return upscale(List.of(frame)).get(0);
    }

    /** Upscales frames of one size, keeping their order; blocks until the budget has room for all of them. */
    public List<RgbImage> upscale(List<RgbImage> frames) throws InterruptedException {
        if (frames.isEmpty()) {
            return List.of();
        }
        if (frames.size() > limit) {
            List<RgbImage> out = new ArrayList<>(frames.size());
            for (int i = 0; i < frames.size(); i += limit) {
                out.addAll(upscale(frames.subList(i, Math.min(frames.size(), i + limit))));
            }
            return out;
        }
        long started = System.nanoTime();
        try {
            return FrameUpscaling.await(submit(frames));
        } finally {
            waited.accept(System.nanoTime() - started);
        }
    }
}
