package org.oisrstream.jobs.bench;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import org.oisrstream.jobs.local.LocalUpscale;
import org.oisrstream.jobs.upscale.UpscaleJobParameters;
import org.oisrstream.operators.infer.InferenceService;
import org.oisrstream.operators.kafka.ChunkRecord;
import org.oisrstream.operators.media.SourceInfo;

/**
 * The whole local pipeline ({@link LocalUpscale}: embedded Kafka, MiniCluster, ingest, the upscale job, assembly)
 * on one video, timed so that its frames/s can be set against the model's own: how long start-up took, when
 * each upscaled chunk arrived, and what the process spent (CPU split, page faults, peak memory).
 */
public final class PipelineBenchmark {

    /**
     * What a run measured.
     *
     * @param source      the input as opened
     * @param startup     from the call until the broker ran, the job was submitted and the model was loaded (loading
     *                    overlaps the broker's start), before any frame is read
     * @param total       the whole call, broker start to assembled file
     * @param frames      frames assembled
     * @param chunkTimes  seconds since the call at which each upscaled chunk reached the assembler, in order
     * @param chunkFrames frames in each of those chunks
     * @param process     CPU, page faults and peak resident memory of the whole call
     * @param model       what the model did: busy time, and the span from its first frame to its last pass
     */
    public record Result(SourceInfo source, Duration startup, Duration total, long frames, List<Double> chunkTimes,
                         List<Integer> chunkFrames, ProcessStats process, InferenceService.Stats model) {

        /** Frames per second of the pipeline once start-up is subtracted. */
        public double framesPerSecond() {
            double seconds = (total.toNanos() - startup.toNanos()) / 1e9;
            return frames / Math.max(1e-9, seconds);
        }

        /** Seconds after start-up outside the model's span: the first chunk's way in, the last one's way out. */
        public double secondsOutsideModel() {
            return (total.toNanos() - startup.toNanos() - model.spanNanos()) / 1e9;
        }
    }

    private PipelineBenchmark() {
    }

    /** Upscales {@code input} into {@code output} with {@code job}'s model and settings on an embedded broker. */
    public static Result run(Path input, Path output, UpscaleJobParameters.Builder job, double chunkSeconds)
            throws Exception {
        Objects.requireNonNull(job, "job");
        ProcessStats before = ProcessStats.now();
        long start = System.nanoTime();
        AtomicLong started = new AtomicLong();
        SourceInfo[] source = new SourceInfo[1];
        List<Double> times = new ArrayList<>();
        List<Integer> frames = new ArrayList<>();
        LocalUpscale.Result result = LocalUpscale.run(
                new LocalUpscale.Request(input, output, job, null, chunkSeconds, Duration.ofHours(3)),
                new LocalUpscale.Listener() {
                    @Override
                    public void started(SourceInfo info) {
                        started.set(System.nanoTime());
                        source[0] = info;
                    }

                    @Override
                    public void chunkUpscaled(ChunkRecord chunk) {
                        synchronized (times) {
                            times.add((System.nanoTime() - start) / 1e9);
                            frames.add(chunk.frameCount());
                        }
                    }
                });
        ProcessStats used = ProcessStats.now().since(before);
        return new Result(source[0], Duration.ofNanos(started.get() - start), Duration.ofNanos(System.nanoTime() - start),
                result.frames(), List.copyOf(times), List.copyOf(frames), used, result.model());
    }
}
