package org.oisrstream.training.data;

import java.util.ArrayDeque;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Makes the next {@code depth} batches on background threads while the model trains, and hands them out in order.
 * It counts the time the caller spends waiting in {@link #next()}, so the trainer can report whether data ever
 * holds the model up.
 */
public final class BatchPrefetcher implements AutoCloseable {

    private final PatchSampler sampler;
    private final ExecutorService workers;
    private final ArrayDeque<Future<PatchBatch>> ahead = new ArrayDeque<>();
    private long nextToSubmit;
    private long waitNanos;

    public BatchPrefetcher(PatchSampler sampler, long firstIndex, int threads, int depth) {
        if (threads < 1 || depth < 1) {
            throw new IllegalArgumentException("prefetch threads and depth must be positive");
        }
        this.sampler = sampler;
        AtomicInteger n = new AtomicInteger();
        this.workers = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "patch-sampler-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        this.nextToSubmit = firstIndex;
        for (int i = 0; i < depth; i++) {
            submitNext();
        }
    }

    private void submitNext() {
        long index = nextToSubmit++;
        ahead.addLast(workers.submit(() -> sampler.batch(index)));
    }

    /** The next batch in index order; blocks (and counts the wait) if it is not ready yet. */
    public PatchBatch next() {
        Future<PatchBatch> head = ahead.removeFirst();
        submitNext();
        long start = System.nanoTime();
        try {
            return head.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for a batch", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("patch sampling failed: " + e.getCause().getMessage(), e.getCause());
        } finally {
            waitNanos += System.nanoTime() - start;
        }
    }

    /** Total time spent blocked in {@link #next()}. */
    public long waitNanos() {
        return waitNanos;
    }

    @Override
    public void close() {
        workers.shutdownNow();
    }
}
