package org.oisrstream.jobs.assemble;

import java.time.Duration;

/**
 * When the {@link StreamAssembler} fetches. A standalone assembler fetches all the time ({@link #CONTINUOUS}), its
 * {@code read_committed} fetch waiting at the broker up to {@link #fetchWait()}. A run that knows when its job
 * commits ({@code oisr upscale}: it asks for the checkpoints itself) lets the assembler rest between commits and
 * fetch with a short wait right after one ({@link CommitWindow}): fewer fetches taking CPU from the model, and the
 * file completes sooner, since the broker answers a parked {@code read_committed} fetch only when its wait runs out,
 * not when a commit makes chunks visible.
 */
public interface FetchPacing {

    /** Fetch continuously with a 100 ms wait at the broker. */
    FetchPacing CONTINUOUS = new FetchPacing() {
        @Override
        public Duration fetchWait() {
            return Duration.ofMillis(100);
        }

        @Override
        public void awaitFetch() {
        }
    };

    /** The consumer's {@code fetch.max.wait.ms}: how long one fetch may wait at the broker for new records. */
    Duration fetchWait();

    /** Blocks until the assembler should fetch again. */
    void awaitFetch() throws InterruptedException;
}
