package org.oisrstream.jobs.local;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.oisrstream.operators.infer.InferenceService;
import org.oisrstream.operators.upscale.UpscaleSettings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Loads the job's model into the JVM's shared {@link InferenceService} while the broker and the MiniCluster start,
 * and holds it until the run ends. The job's operator, opening in the same JVM, then leases the loaded service
 * instead of loading it itself after its task has been deployed: on a 2-core machine loading LibTorch and the
 * weights takes seconds, which no longer sit between the job's submission and its first frame. When the frames'
 * size is known (a file input), the model is also prepared for it ({@link InferenceService#prepare}), so that the
 * kernels' set-up for that size does not fall on the first frame either.
 */
final class ModelPreload implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ModelPreload.class);

    private final CompletableFuture<InferenceService.Lease> lease = new CompletableFuture<>();

    private ModelPreload(UpscaleSettings settings, int width, int height) {
        Thread loader = new Thread(() -> {
            try {
                InferenceService.Lease held = InferenceService.acquire(settings.upscaler(), settings.batching());
                if (width > 0 && height > 0) {
                    prepare(held.service(), width, height);
                }
                lease.complete(held);
            } catch (Throwable t) {
                lease.completeExceptionally(t);
            }
        }, "oisr-model-preload");
        loader.setDaemon(true);
        loader.start();
    }

    /** Starts loading {@code settings}' model on a thread of its own. */
    static ModelPreload start(UpscaleSettings settings) {
        return new ModelPreload(settings, 0, 0);
    }

    /** Starts loading {@code settings}' model on a thread of its own and prepares it for frames of this size. */
    static ModelPreload start(UpscaleSettings settings, int width, int height) {
        return new ModelPreload(settings, width, height);
    }

    /**
     * Runs the service's warm-up for frames of this size and waits for it. A failed warm-up is only logged: the
     * frames themselves will meet the same problem and go where failed frames go.
     */
    static void prepare(InferenceService service, int width, int height) {
        try {
            service.prepare(width, height).join();
        } catch (CompletionException | java.util.concurrent.CancellationException e) {
            LOG.warn("could not prepare the model for {}x{} frames: {}", width, height,
                    LocalUpscale.describe(e));
        }
    }

    /** Waits for the model; rethrows what loading it threw (the job would fail the same way). */
    InferenceService service() {
        try {
            return lease.join().service();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException re) {
                throw re;
            }
            if (e.getCause() instanceof Error error) {
                throw error;
            }
            throw e;
        }
    }

    /** Releases the model once loaded (at once if it has been); the service stops when the job has released it too. */
    @Override
    public void close() {
        lease.whenComplete((held, failure) -> {
            if (held != null) {
                held.close();
            }
        });
    }
}
