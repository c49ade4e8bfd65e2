package org.oisrstream.jobs.assemble;

import java.time.Duration;
import java.util.Objects;

/**
 * {@link FetchPacing} for a run that hears of its job's commits: after {@link #committing()} the assembler fetches
 * with a short wait for {@code openFor}, then rests; without news it still fetches once every {@code fallback}, so
 * a commit it was not told of (a periodic checkpoint's, a restarted job's) is seen late but always seen.
 */
public final class CommitWindow implements FetchPacing {

    private static final Duration FETCH_WAIT = Duration.ofMillis(20);

    private final long openForNanos;
    private final long fallbackNanos;
    /** Whether any commit was announced yet ({@link #openUntilNanos} means nothing before). */
    private boolean opened;
    private long openUntilNanos;

    /**
     * @param openFor  how long to fetch after a commit was announced (it lands after its checkpoint completes)
     * @param fallback the longest rest between two fetches
     */
    public CommitWindow(Duration openFor, Duration fallback) {
        this.openForNanos = Objects.requireNonNull(openFor, "openFor").toNanos();
        this.fallbackNanos = Objects.requireNonNull(fallback, "fallback").toNanos();
        if (openForNanos <= 0 || fallbackNanos <= 0) {
            throw new IllegalArgumentException("openFor and fallback must be positive");
        }
    }

    /** A commit is under way (its checkpoint completed): chunks may become visible any moment now. */
    public synchronized void committing() {
        opened = true;
        openUntilNanos = System.nanoTime() + openForNanos;
        notifyAll();
    }

    @Override
    public Duration fetchWait() {
        return FETCH_WAIT;
    }

    @Override
    public synchronized void awaitFetch() throws InterruptedException {
        long deadline = System.nanoTime() + fallbackNanos;
        while (true) {
            long now = System.nanoTime();
            if (opened && now - openUntilNanos < 0) {
                return;
            }
            long left = deadline - now;
            if (left <= 0) {
                return;
            }
            wait(Math.max(1, left / 1_000_000));
        }
    }
}
