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
 * weights takes seconds, which no longer sit between the job's submission and its first frame.
 */
final class ModelPreload implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ModelPreload.class);

    private final CompletableFuture<InferenceService.Lease> lease = new CompletableFuture<>();

    private ModelPreload(UpscaleSettings settings, int width, int height) {
        Thread loader = new Thread(() -> {
            InferenceService.Lease held;
            try {
                held = InferenceService.acquire(settings.upscaler(), settings.batching());
            } catch (Throwable t) {
                lease.completeExceptionally(t);
                return;
            }
            if (width > 0 && height > 0) {
                try {
                    held.service().warmUp(width, height).join();
                } catch (RuntimeException e) {
                    // The job's first frames will fail the same way and say why, chunk by chunk.
                    LOG.warn("warming the model up at {}x{} failed: {}", width, height, e.toString());
                }
            }
            lease.complete(held);
        }, "oisr-model-preload");
        loader.setDaemon(true);
        loader.start();
    }

    /**
     * Starts loading {@code settings}' model on a thread of its own and, if the frame size is known ({@code width}
     * and {@code height} above 0), running one pass at that size, which the first frame would otherwise pay for.
     */
    static ModelPreload start(UpscaleSettings settings, int width, int height) {
        return new ModelPreload(settings, width, height);
    }

    /** Waits for the model (and its warm-up); rethrows what loading it threw (the job would fail the same way). */
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
