package org.oisrstream.jobs.local;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.oisrstream.jobs.assemble.CommitWindow;
import org.oisrstream.jobs.assemble.StreamAssembler;
import org.oisrstream.jobs.ingest.ChunkIngester;
import org.oisrstream.jobs.kafka.ChunkTopics;
import org.oisrstream.jobs.kafka.EmbeddedKafka;
import org.oisrstream.jobs.live.LiveSources;
import org.oisrstream.jobs.metrics.PrometheusMetrics;
import org.oisrstream.jobs.upscale.RecoverySettings;
import org.oisrstream.jobs.upscale.UpscaleJob;
import org.oisrstream.jobs.upscale.UpscaleJobParameters;
import org.oisrstream.model.util.Folders;
import org.oisrstream.operators.infer.InferenceService;
import org.oisrstream.operators.kafka.ChunkRecord;
import org.oisrstream.operators.media.InputPolicy;
import org.oisrstream.operators.media.ChunkMetadata;
import org.oisrstream.operators.media.SegmenterOptions;
import org.oisrstream.operators.media.SourceInfo;
import org.oisrstream.operators.media.VideoSegmenter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The whole pipeline in one process, for {@code oisr upscale}: a Kafka broker (embedded, unless one is given),
 * a local Flink MiniCluster running {@link UpscaleJob}, the ingest of the input (a file or a live URL) and the
 * assembly of the output file. The job is cancelled once the last chunk is assembled; the broker and temporary folders go too.
 */
public final class LocalUpscale {

    private static final Logger LOG = LoggerFactory.getLogger(LocalUpscale.class);
    /** How long start-up waits for the job's tasks to run before it goes on anyway (the job may be restarting). */
    private static final Duration READY_TIMEOUT = Duration.ofMinutes(2);
    /** How long a run waits for its ingest to stop (it stops between chunks) before it closes the source anyway. */
    private static final Duration INGEST_STOP_TIMEOUT = Duration.ofSeconds(30);
    /**
     * The assembler fetches for this long after each checkpoint the run asked for (its commit follows within
     * milliseconds), and otherwise once per {@link #FALLBACK_FETCH_INTERVAL}, which bounds the delay of a commit
     * it was not told of (a periodic checkpoint's). Fetching all the time took CPU from the model for nothing.
     */
    private static final Duration COMMIT_FETCH_WINDOW = Duration.ofSeconds(1);
    private static final Duration FALLBACK_FETCH_INTERVAL = Duration.ofSeconds(1);

    /**
     * @param source           the video to upscale: a file path or a live URL FFmpeg reads (udp://, rtsp://, srt://,
     *                         http(s)://, an HLS playlist, ...)
     * @param output           the file to write (.mp4, .mkv or .ts)
     * @param job              job settings (model, batching, encoder, ...); Kafka names and checkpointing are set here
     * @param bootstrapServers an existing Kafka cluster, or null to start an embedded broker
     * @param chunkSeconds     chunk length for the segmenter
     * @param idleTimeout      give up when no chunk completes for this long
     * @param live             source timeouts and options, checkpoint interval, metrics endpoint
     * @param allowProtocols   FFmpeg protocols the source may use beyond its own (docs/security.md)
     */
    public record Request(String source, Path output, UpscaleJobParameters.Builder job, String bootstrapServers,
                          double chunkSeconds, Duration idleTimeout, LiveSettings live, List<String> allowProtocols) {
        public Request {
            Objects.requireNonNull(source, "source");
            allowProtocols = List.copyOf(allowProtocols);
            Objects.requireNonNull(output, "output");
            Objects.requireNonNull(job, "job");
            Objects.requireNonNull(idleTimeout, "idleTimeout");
            Objects.requireNonNull(live, "live");
        }

        /** A file input with {@link LiveSettings#defaults()} and no protocols beyond {@code file}. */
        public Request(Path input, Path output, UpscaleJobParameters.Builder job, String bootstrapServers,
                       double chunkSeconds, Duration idleTimeout) {
            this(input.toString(), output, job, bootstrapServers, chunkSeconds, idleTimeout, LiveSettings.defaults());
        }

        /** No protocols beyond the source's own (docs/security.md). */
        public Request(String source, Path output, UpscaleJobParameters.Builder job, String bootstrapServers,
                       double chunkSeconds, Duration idleTimeout, LiveSettings live) {
            this(source, output, job, bootstrapServers, chunkSeconds, idleTimeout, live, List.of());
        }
    }

    /** Hears how the run goes (all methods may be called from other threads than the caller's). */
    public interface Listener {
        /**
         * Ingest starts: for a file as soon as the broker runs (while the job starts), for a live source once the job
         * runs. The source's frame count may be an estimate or -1.
         */
        default void started(SourceInfo source) {
        }

        /** Start-up is over: the broker runs, the job's tasks run and the model is loaded. */
        default void ready() {
        }

        /** Ingest finished: the exact number of frames sent. */
        default void ingested(long frames, long chunks) {
        }

        /** The output file is complete: every chunk assembled (the job and the broker are stopped after this). */
        default void outputComplete(Path output) {
        }

        /** An upscaled chunk arrived at the assembler. */
        default void chunkUpscaled(ChunkRecord chunk) {
        }

        /** A source chunk was sent to the input topic (for the "before" side of a live view). */
        default void chunkIngested(ChunkRecord chunk) {
        }
    }

    /**
     * What was done.
     *
     * @param model what the model did in this run: passes, frames, and how busy it was from the first frame to the
     *              last pass
     */
    public record Result(Path output, String streamId, long chunks, long frames, long audioPackets,
                         long durationMicros, Duration elapsed, InferenceService.Stats model) {
    }

    private LocalUpscale() {
    }

    /** Checks the source (a path or a live URL) and the output path; one-line {@link IllegalArgumentException}. */
    public static void checkPaths(String source, Path output) {
        if (LiveSources.isUrl(source)) {
            checkOutput(Path.of("live-source"), output);
        } else {
            checkPaths(Path.of(source), output);
        }
    }

    /** Checks the input and output paths; throws {@link IllegalArgumentException} with a one-line reason. */
    public static void checkPaths(Path input, Path output) {
        if (!Files.exists(input)) {
            throw new IllegalArgumentException("input " + input + " does not exist");
        }
        if (!Files.isRegularFile(input)) {
            throw new IllegalArgumentException("input " + input + " is not a file");
        }
        if (!Files.isReadable(input)) {
            throw new IllegalArgumentException("input " + input + " is not readable");
        }
        checkOutput(input, output);
    }

    private static void checkOutput(Path input, Path output) {
        String name = output.getFileName().toString().toLowerCase(java.util.Locale.ROOT);
        if (!(name.endsWith(".mp4") || name.endsWith(".m4v") || name.endsWith(".mov") || name.endsWith(".mkv")
                || name.endsWith(".ts"))) {
            throw new IllegalArgumentException("output " + output + " must end in .mp4, .m4v, .mov, .mkv or .ts");
        }
        Path dir = output.toAbsolutePath().getParent();
        if (dir == null || !Files.isDirectory(dir) || !Files.isWritable(dir)) {
            throw new IllegalArgumentException("cannot write " + output + ": folder " + dir
                    + " does not exist or is not writable");
        }
        if (Files.exists(output) && input.toAbsolutePath().normalize().equals(output.toAbsolutePath().normalize())) {
            throw new IllegalArgumentException("output " + output + " is the input");
        }
    }

    public static Result run(Request request, Listener listener) throws Exception {
        long started = System.nanoTime();
        checkPaths(request.source(), request.output());
        // Opening a file reads its header: a file that is not a video fails here, before anything heavy. A live
        // source is opened once the job runs, so its frames do not queue up (and add latency) during start-up.
        VideoSegmenter segmenter = LiveSources.isUrl(request.source()) ? null : openSource(request);
        try {
            if (segmenter != null) {
                // Before the broker, the job or any frame: an upscaled size the encoder cannot take.
                segmenter.checkUpscaledSize(request.job().bootstrapServers("unset").build().chunkProcessor().transcoder());
            }
            String streamId = "upscale-" + UUID.randomUUID();
            try (ModelPreload model = ModelPreload.start(request.job().bootstrapServers("unset").build().upscale())) {
                return withBroker(request, listener, segmenter, streamId, model, started);
            }
        } finally {
            if (segmenter != null) {
                segmenter.close();
            }
        }
    }

    private static Result withBroker(Request request, Listener listener, VideoSegmenter segmenter, String streamId,
                                     ModelPreload model, long started) throws Exception {
        // The record limit decides the embedded broker's message.max.bytes (the address is set below).
        int maxRecordBytes = request.job().bootstrapServers("unset").build().upscale().maxRecordBytes();
        Path checkpoints = Files.createTempDirectory("oisr-checkpoints-");
        // The Flink cluster needs no broker to start, and each takes seconds: both start at once.
        Configuration conf = clusterConfiguration(request, checkpoints);
        CompletableFuture<LocalCluster> cluster = LocalCluster.startInBackground(conf, 1);
        EmbeddedKafka kafka = null;
        try {
            kafka = request.bootstrapServers() != null ? null
                    : EmbeddedKafka.start(Math.max(EmbeddedKafka.DEFAULT_MAX_MESSAGE_BYTES, maxRecordBytes), Map.of());
            String bootstrap = kafka != null ? kafka.bootstrapServers() : request.bootstrapServers();
            UpscaleJobParameters params = request.job()
                    .bootstrapServers(bootstrap)
                    .groupId("oisr-local-" + streamId)
                    .transactionalIdPrefix("oisr-local-" + streamId)
                    .checkpointInterval(request.live().checkpointInterval())
                    .checkpointDir(checkpoints.toUri().toString())
                    .parallelism(1)
                    .build();
            ChunkTopics.ensure(bootstrap, params.kafka(), List.of(params.inputTopic(), params.outputTopic(),
                    params.deadLetterTopic()), 1, (short) 1, params.upscale().maxRecordBytes());
            return pipeline(request, listener, segmenter, streamId, params, conf, cluster, model, started);
        } finally {
            // The cluster stops before the broker it reads from and writes to.
            LocalCluster.closeWhenStarted(cluster);
            if (kafka != null) {
                kafka.close();
            }
            Folders.deleteQuietly(checkpoints);
        }
    }

    private static VideoSegmenter openSource(Request request) {
        return VideoSegmenter.open(request.source(), SegmenterOptions.defaults().withChunkSeconds(request.chunkSeconds())
                .withInputOptions(InputPolicy.restrict(request.source(), null, LiveSources.inputOptions(
                        request.source(), request.live().sourceTimeout(), request.live().inputOptions()),
                        request.allowProtocols())));
    }

    /** The cluster {@link LocalCluster#startInBackground} started, or what stopped it from starting. */
    private static LocalCluster awaitStarted(CompletableFuture<LocalCluster> starting) throws Exception {
        try {
            return starting.get();
        } catch (ExecutionException e) {
            throw e.getCause() instanceof Exception cause ? cause : e;
        }
    }

    /** The local cluster's and the job's settings: checkpoints in {@code checkpoints}, metrics if asked for. */
    private static Configuration clusterConfiguration(Request request, Path checkpoints) {
        // A broken model or codec fails the job for good after a few tries instead of restarting forever.
        Configuration conf = RecoverySettings.applyToFileJob(UpscaleJob.jobConfiguration(
                request.live().checkpointInterval(), checkpoints.toUri().toString()));
        if (request.live().metricsPort() != null) {
            PrometheusMetrics.configure(conf, request.live().metricsPort());
        }
        return conf;
    }

    private static Result pipeline(Request request, Listener listener, VideoSegmenter opened, String streamId,
                                   UpscaleJobParameters params, Configuration conf,
                                   CompletableFuture<LocalCluster> startingCluster, ModelPreload model, long started)
            throws Exception {
        AtomicReference<Throwable> failure = new AtomicReference<>();
        // A file's chunks go into the input topic while the cluster starts, so the first one is waiting when the
        // job's source starts. A live source is opened once the job runs, so its frames do not queue up meanwhile.
        Ingest ingest = opened == null ? null : startIngest(listener, opened, streamId, params, failure);
        VideoSegmenter segmenter = opened;
        try {
            LocalCluster cluster = awaitStarted(startingCluster);
            StreamExecutionEnvironment env = StreamExecutionEnvironment.createLocalEnvironment(1, conf);
            UpscaleJob.define(env, params);
            JobClient job = cluster.submit(env, UpscaleJob.JOB_NAME);
            job.getJobExecutionResult().whenComplete((r, e) -> {
                if (e != null) {
                    failure.compareAndSet(null, e);
                }
            });
            CommitWindow commitWindow = new CommitWindow(COMMIT_FETCH_WINDOW, FALLBACK_FETCH_INTERVAL);
            try (CommitOnOutput commits = CommitOnOutput.start(ChunkTopics.consumerProperties(params.bootstrapServers(),
                    null, params.upscale().maxRecordBytes(), params.kafka()),
                    List.of(params.outputTopic(), params.deadLetterTopic()), streamId, cluster, job.getJobID(),
                    commitWindow::committing)) {
                InferenceService service = model.service();
                if (!cluster.awaitRunning(job.getJobID(), READY_TIMEOUT)) {
                    LOG.debug("the job's tasks are not all running after {}; going on", READY_TIMEOUT);
                }
                LOG.debug("start-up done: the job's tasks run and the model is loaded");
                listener.ready();
                if (segmenter == null) {
                    segmenter = openSource(request);
                    segmenter.checkUpscaledSize(params.chunkProcessor().transcoder());
                    // The first live chunk takes its length to arrive, time the model would idle: it prepares for
                    // the frames' size meanwhile. (A file's run does not: during start-up the pass competes with
                    // the broker's start, which grew by more than the pass saves; docs/architecture.md.)
                    SourceInfo info = segmenter.info();
                    if (info.width() > 0 && info.height() > 0) {
                        service.prepare(info.width(), info.height()).exceptionally(e -> {
                            LOG.warn("could not prepare the model for {}x{} frames: {}", info.width(), info.height(),
                                    describe(e));
                            return null;
                        });
                    }
                    ingest = startIngest(listener, segmenter, streamId, params, failure);
                }
                return assemble(request, listener, streamId, params, started, service, ingest, failure, commitWindow);
            } finally {
                stop(job);
            }
        } finally {
            // The segmenter is closed after this (here or by the caller): the ingest must not be reading it then.
            if (ingest != null) {
                ingest.stop();
            }
            if (opened == null && segmenter != null) {
                segmenter.close();
            }
        }
    }

    /** A run's ingest, on a thread of its own so that the run can stop it and wait before the segmenter closes. */
    private record Ingest(Thread thread, CompletableFuture<ChunkIngester.Result> result) {

        /** Interrupts the ingest if it still runs and waits until it has stopped reading the segmenter. */
        void stop() {
            if (!result.isDone()) {
                thread.interrupt();
            }
            try {
                thread.join(INGEST_STOP_TIMEOUT.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            if (thread.isAlive()) {
                LOG.warn("the ingest did not stop within {}", INGEST_STOP_TIMEOUT);
            }
        }
    }

    private static Ingest startIngest(Listener listener, VideoSegmenter segmenter, String streamId,
                                      UpscaleJobParameters params, AtomicReference<Throwable> failure) {
        listener.started(segmenter.info());
        CompletableFuture<ChunkIngester.Result> result = new CompletableFuture<>();
        Thread thread = new Thread(() -> {
            try {
                ChunkIngester.Result r = ChunkIngester.ingest(segmenter, new ChunkIngester.Target(
                        params.bootstrapServers(), params.inputTopic(), streamId, params.upscale().maxRecordBytes(),
                        params.kafka()),
                        chunk -> listener.chunkIngested(ChunkRecord.of(
                                ChunkMetadata.ofInput(streamId, chunk, segmenter.info()), chunk.data())));
                listener.ingested(r.frames(), r.chunks());
                result.complete(r);
            } catch (Throwable t) {
                failure.compareAndSet(null, t);
                result.completeExceptionally(t);
            }
        }, "oisr-ingest");
        thread.setDaemon(true);
        thread.start();
        return new Ingest(thread, result);
    }

    private static Result assemble(Request request, Listener listener, String streamId, UpscaleJobParameters params,
                                   long started, InferenceService model, Ingest ingest,
                                   AtomicReference<Throwable> failure, CommitWindow commitWindow)
            throws Exception {
        StreamAssembler.Result assembled;
        try {
            assembled = new StreamAssembler(new StreamAssembler.Request(params.bootstrapServers(),
                    params.outputTopic(), params.deadLetterTopic(), streamId, request.output(),
                    request.idleTimeout(), params.upscale().maxRecordBytes(), params.kafka()),
                    listener::chunkUpscaled, () -> failure.get() == null, commitWindow).run();
            listener.outputComplete(assembled.file().path());
        } catch (RuntimeException e) {
            Throwable cause = failure.get();
            if (cause != null) {
                throw new IllegalStateException(describe(cause), cause);
            }
            throw e;
        }
        ChunkIngester.Result in = ingest.result().get();
        if (assembled.frames() != in.frames()) {
            throw new IllegalStateException("ingested " + in.frames() + " frames but assembled " + assembled.frames());
        }
        return new Result(assembled.file().path(), streamId, assembled.chunks(), assembled.file().videoFrames(),
                assembled.file().audioPackets(), assembled.file().durationMicros(),
                Duration.ofNanos(System.nanoTime() - started), model.stats());
    }

    private static void stop(JobClient job) {
        try {
            if (!job.getJobExecutionResult().isDone()) {
                job.cancel().get(60, TimeUnit.SECONDS);
            }
            job.getJobExecutionResult().handle((r, e) -> null).get(60, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
            LOG.warn("the upscale job did not stop cleanly: {}", e.toString());
        }
    }

    /** The innermost message of a job or ingest failure. */
    static String describe(Throwable e) {
        Throwable t = e;
        String message = null;
        while (t != null) {
            if (t.getMessage() != null && !t.getMessage().isBlank()) {
                message = t.getMessage();
            }
            if (t.getCause() == null || t.getCause() == t) {
                break;
            }
            t = t.getCause();
        }
        return message == null ? e.toString() : message;
    }
}
