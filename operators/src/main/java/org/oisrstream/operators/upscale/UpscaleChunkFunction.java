package org.oisrstream.operators.upscale;

import java.util.List;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.streaming.api.functions.async.ResultFuture;
import org.apache.flink.streaming.api.functions.async.RichAsyncFunction;
import org.oisrstream.operators.infer.InferenceService;
import org.oisrstream.operators.kafka.ChunkRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The upscaling step of the job, used with {@code AsyncDataStream.orderedWait}: each chunk is decoded,
 * upscaled and re-encoded on one of {@link UpscaleSettings#chunksInFlight()} worker threads, its frames going
 * through the JVM's shared {@link InferenceService} for the configured model and device.
 *
 * <p>A chunk that cannot be processed (undecodable, malformed, or too large once upscaled; any exception, and
 * running out of memory) is emitted with its error set, which routes it to the dead-letter topic; the job goes
 * on. Other {@link Error}s fail the task, and Flink restarts the job from its last checkpoint.
 */
public final class UpscaleChunkFunction extends RichAsyncFunction<ChunkRecord, ChunkRecord> {

    private static final Logger LOG = LoggerFactory.getLogger(UpscaleChunkFunction.class);
    /** Room left in a record for key, headers and batch overhead. */
    static final int RECORD_OVERHEAD_BYTES = 16 * 1024;

    private final UpscaleSettings settings;
    private final ChunkProcessor processor;

    private transient InferenceService.Lease lease;
    private transient ExecutorService workers;
    private transient FrameUpscaler frames;
    private transient UpscaleMetrics metrics;

    public UpscaleChunkFunction(UpscaleSettings settings, ChunkProcessor processor) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.processor = Objects.requireNonNull(processor, "processor");
    }

    @Override
    public void open(OpenContext openContext) {
        lease = InferenceService.acquire(settings.upscaler(), settings.batching());
        Semaphore budget = new Semaphore(settings.framesInFlight(), true);
        metrics = new UpscaleMetrics(getRuntimeContext().getMetricGroup(), budget, settings.framesInFlight(),
                lease.service());
        lease.service().addObserver(metrics);
        frames = new FrameUpscaler(lease.service(), budget, settings.framesInFlight(), metrics::inferenceWaited);
        int subtask = getRuntimeContext().getTaskInfo().getIndexOfThisSubtask();
        workers = Executors.newFixedThreadPool(settings.chunksInFlight(), daemonThreads("oisr-chunk-" + subtask));
    }

    @Override
    public void asyncInvoke(ChunkRecord input, ResultFuture<ChunkRecord> result) {
        if (input.failed()) {
            metrics.deadLetters.inc();
            result.complete(List.of(input));
            return;
        }
        workers.execute(() -> {
            try {
                result.complete(List.of(process(input)));
            } catch (Throwable t) {
                // An Error other than OutOfMemoryError means a broken JVM or native library, not a bad chunk:
                // fail the task so Flink restarts it from the last checkpoint.
                result.completeExceptionally(t);
            }
        });
    }

    @Override
    public void timeout(ChunkRecord input, ResultFuture<ChunkRecord> result) {
        metrics.deadLetters.inc();
        result.complete(List.of(input.withError("timed out: upscaling took longer than the operator timeout")));
    }

    ChunkRecord process(ChunkRecord input) {
        long started = System.nanoTime();
        LOG.debug("chunk {}#{}: starts", input.streamId(), input.sequence());
        metrics.chunkStarted();
        try {
            ChunkRecord out = processor.process(input, frames);
            LOG.debug("chunk {}#{}: {} frames in {} ms", input.streamId(), input.sequence(), out.frameCount(),
                    (System.nanoTime() - started) / 1_000_000);
            long limit = (long) settings.maxRecordBytes() - RECORD_OVERHEAD_BYTES;
            if (out.payload().length > limit) {
                metrics.deadLetters.inc();
                return input.withError("upscaled chunk is " + out.payload().length + " bytes, more than the "
                        + settings.maxRecordBytes() + "-byte record limit (minus " + RECORD_OVERHEAD_BYTES
                        + " for headers): use shorter chunks or raise max.message.bytes / max.request.size");
            }
            metrics.chunksOut.inc();
            metrics.framesOut.inc(out.frameCount());
            return out;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return input.withError("interrupted while upscaling (operator closing)");
        } catch (Exception | OutOfMemoryError e) {
            LOG.warn("chunk {}#{} goes to the dead letters: {}", input.streamId(), input.sequence(), e.toString());
            metrics.deadLetters.inc();
            return input.withError(describe(e));
        } finally {
            metrics.chunkDone(System.nanoTime() - started);
        }
    }

    @Override
    public void close() {
        if (workers != null) {
            workers.shutdownNow();
        }
        if (lease != null) {
            lease.service().removeObserver(metrics);
            lease.close();
        }
    }

    static String describe(Throwable e) {
        String message = e.getMessage();
        return e.getClass().getSimpleName() + (message == null || message.isBlank() ? "" : ": " + message.strip());
    }

    private static ThreadFactory daemonThreads(String prefix) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, prefix + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }
}
