package org.oisrstream.jobs.local;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.oisrstream.operators.infer.InferenceService;
import org.oisrstream.operators.upscale.UpscaleSettings;

/**
 * Loads the job's model into the JVM's shared {@link InferenceService} while the broker and the MiniCluster start,
 * and holds it until the run ends. The job's operator, opening in the same JVM, then leases the loaded service
 * instead of loading it itself after its task has been deployed: on a 2-core machine loading LibTorch and the
 * weights takes seconds, which no longer sit between the job's submission and its first frame.
 */
final class ModelPreload implements AutoCloseable {

    private final CompletableFuture<InferenceService.Lease> lease = new CompletableFuture<>();

    private ModelPreload(UpscaleSettings settings) {
        Thread loader = new Thread(() -> {
            try {
                lease.complete(InferenceService.acquire(settings.upscaler(), settings.batching()));
            } catch (Throwable t) {
                lease.completeExceptionally(t);
            }
        }, "oisr-model-preload");
        loader.setDaemon(true);
        loader.start();
    }

    /** Starts loading {@code settings}' model on a thread of its own. */
    static ModelPreload start(UpscaleSettings settings) {
        return new ModelPreload(settings);
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
