package org.oisrstream.jobs.bench;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
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
     * @param startup     from the call until the broker ran, the job's tasks ran and the model was loaded (loading
     *                    overlaps the broker's and the cluster's start; a file's ingest starts as soon as the broker
     *                    runs)
     * @param complete    from the call until the output file was complete (assembled), before the job and the
     *                    broker were stopped
     * @param total       the whole call, including stopping the job and the broker
     * @param frames      frames assembled
     * @param chunkTimes  seconds since the call at which each upscaled chunk reached the assembler, in order
     * @param chunkFrames frames in each of those chunks
     * @param process     CPU, page faults and peak resident memory of the whole call
     * @param model       what the model did: busy time, and the span from its first frame to its last pass
     * @param firstFrame  from the end of start-up until the first frame reached the model (the source's first
     *                    fetch, the first chunk's decoding)
     * @param lastFrame   from the model's last pass until the output file was complete (encoding the last frames,
     *                    the commit, assembly)
     * @param threads     CPU time by thread group from the end of start-up until the output file was complete
     */
    public record Result(SourceInfo source, Duration startup, Duration complete, Duration total, long frames, List<Double> chunkTimes,
                         List<Integer> chunkFrames, ProcessStats process, InferenceService.Stats model,
                         Duration firstFrame, Duration lastFrame, ThreadCpu threads) {

        /** Seconds from the end of start-up until the output file was complete: the pipeline's working time. */
        public double pipelineSeconds() {
            return (complete.toNanos() - startup.toNanos()) / 1e9;
        }

        /** Frames per second of the pipeline: start-up and the shut-down after the file was complete subtracted. */
        public double framesPerSecond() {
            return frames / Math.max(1e-9, pipelineSeconds());
        }

        /** Stopping the job and the broker once the file was complete. */
        public Duration shutdown() {
            return total.minus(complete);
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
        AtomicLong complete = new AtomicLong();
        AtomicReference<ThreadCpu.Snapshot> working = new AtomicReference<>();
        AtomicReference<ThreadCpu> threads = new AtomicReference<>();
        SourceInfo[] source = new SourceInfo[1];
        List<Double> times = new ArrayList<>();
        List<Integer> frames = new ArrayList<>();
        LocalUpscale.Result result = LocalUpscale.run(
                new LocalUpscale.Request(input, output, job, null, chunkSeconds, Duration.ofHours(3)),
                new LocalUpscale.Listener() {
                    @Override
                    public void started(SourceInfo info) {
                        source[0] = info;
                    }

                    @Override
                    public void ready() {
                        started.set(System.nanoTime());
                        working.set(ThreadCpu.snapshot());
                    }

                    @Override
                    public void outputComplete(Path file) {
                        complete.set(System.nanoTime());
                        ThreadCpu.Snapshot from = working.get();
                        if (from != null) {
                            threads.set(ThreadCpu.snapshot().since(from));
                        }
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
        long end = System.nanoTime();
        InferenceService.Stats model = result.model();
        return new Result(source[0], Duration.ofNanos(started.get() - start), Duration.ofNanos(complete.get() - start),
                Duration.ofNanos(end - start), result.frames(), List.copyOf(times), List.copyOf(frames), used, model,
                Duration.ofNanos(model.firstFrameAtNanos() - started.get()),
                Duration.ofNanos(complete.get() - model.lastPassAtNanos()),
                threads.get() != null ? threads.get() : new ThreadCpu(Map.of()));
    }
}
