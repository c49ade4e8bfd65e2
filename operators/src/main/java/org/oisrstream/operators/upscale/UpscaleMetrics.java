package org.oisrstream.operators.upscale;

import java.util.concurrent.Semaphore;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.metrics.Histogram;
import org.apache.flink.metrics.MeterView;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.runtime.metrics.DescriptiveStatisticsHistogram;
import org.oisrstream.operators.infer.InferenceObserver;
import org.oisrstream.operators.infer.InferenceService;

/**
 * The metrics of one {@link UpscaleChunkFunction} instance, in its operator metric group (with Flink's
 * Prometheus reporter: {@code flink_taskmanager_job_task_operator_<name>}):
 * <table>
 *   <tr><td>{@code chunksUpscaled}, {@code framesUpscaled}, {@code chunksDeadLettered}</td><td>counters</td></tr>
 *   <tr><td>{@code framesPerSecond}, {@code chunksPerSecond}</td><td>meters (60 s rate)</td></tr>
 *   <tr><td>{@code chunkLatencyMs}</td><td>histogram: one chunk's decode + upscale + encode time</td></tr>
 *   <tr><td>{@code codecMs}</td><td>histogram: the part of it spent decoding and encoding (not in inference)</td></tr>
 *   <tr><td>{@code framesInFlight}</td><td>gauge: decoded frames this instance holds</td></tr>
 *   <tr><td>{@code inferenceBatchSize}, {@code inferenceQueueWaitMs}, {@code inferenceMs}</td><td>histograms of the
 *       JVM's shared inference service (every instance in the JVM sees the same batches)</td></tr>
 * </table>
 */
final class UpscaleMetrics implements InferenceObserver {

    /** Samples each histogram keeps for its percentiles. */
    static final int WINDOW = 512;

    final Counter chunksOut;
    final Counter framesOut;
    final Counter deadLetters;
    private final Histogram chunkLatencyMs;
    private final Histogram codecMs;
    private final Histogram batchSize;
    private final Histogram queueWaitMs;
    private final Histogram inferenceMs;
    /** Time the current chunk's thread spent blocked in inference (ns), to tell codec time from the total. */
    private final ThreadLocal<long[]> inferenceNanos = ThreadLocal.withInitial(() -> new long[1]);

    UpscaleMetrics(MetricGroup group, Semaphore budget, int framesInFlight, InferenceService service) {
        chunksOut = group.counter("chunksUpscaled");
        framesOut = group.counter("framesUpscaled");
        deadLetters = group.counter("chunksDeadLettered");
        group.meter("framesPerSecond", new MeterView(framesOut));
        group.meter("chunksPerSecond", new MeterView(chunksOut));
        chunkLatencyMs = group.histogram("chunkLatencyMs", new DescriptiveStatisticsHistogram(WINDOW));
        codecMs = group.histogram("codecMs", new DescriptiveStatisticsHistogram(WINDOW));
        batchSize = group.histogram("inferenceBatchSize", new DescriptiveStatisticsHistogram(WINDOW));
        queueWaitMs = group.histogram("inferenceQueueWaitMs", new DescriptiveStatisticsHistogram(WINDOW));
        inferenceMs = group.histogram("inferenceMs", new DescriptiveStatisticsHistogram(WINDOW));
        group.gauge("framesInFlight", (Gauge<Integer>) () -> framesInFlight - budget.availablePermits());
        group.gauge("inferenceFrames", (Gauge<Long>) () -> service.stats().frames());
        group.gauge("inferenceMeanBatch", (Gauge<Double>) () -> service.stats().meanBatch());
        group.gauge("inferenceBusyShare", (Gauge<Double>) () -> service.stats().busyShare());
    }

    /** The frame upscaler's blocking time, on the chunk's thread. */
    void inferenceWaited(long nanos) {
        inferenceNanos.get()[0] += nanos;
    }

    /** Call on the chunk's thread before processing it. */
    void chunkStarted() {
        inferenceNanos.get()[0] = 0;
    }

    /** Call on the chunk's thread after it was processed (upscaled or not). */
    void chunkDone(long elapsedNanos) {
        chunkLatencyMs.update(elapsedNanos / 1_000_000);
        codecMs.update(Math.max(0, elapsedNanos - inferenceNanos.get()[0]) / 1_000_000);
    }

    @Override
    public void batch(int frames, long queueWaitNanos, long inferenceNanos) {
        batchSize.update(frames);
        queueWaitMs.update(queueWaitNanos / 1_000_000);
        inferenceMs.update(inferenceNanos / 1_000_000);
    }
}
