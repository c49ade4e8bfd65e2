package org.oisrstream.operators.infer;

/**
 * Hears of each batch the shared {@link InferenceService} runs, e.g. to feed metrics. Called on the service's
 * worker thread right after the batch: keep it quick and never throw.
 */
@FunctionalInterface
public interface InferenceObserver {

    /**
     * @param frames         frames in the batch (one network call)
     * @param queueWaitNanos how long the batch's oldest frame waited in the queue before the call started
     * @param inferenceNanos how long the call took
     */
    void batch(int frames, long queueWaitNanos, long inferenceNanos);
}
