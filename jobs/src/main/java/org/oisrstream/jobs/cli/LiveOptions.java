package org.oisrstream.jobs.cli;

import java.nio.file.Path;
import java.time.Duration;
import org.oisrstream.jobs.live.LiveServer;
import org.oisrstream.jobs.live.LiveSources;
import org.oisrstream.jobs.local.LiveSettings;
import picocli.CommandLine;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** The live options of {@code oisr upscale}: HLS output, the viewer server, live-source timeouts, metrics. */
public final class LiveOptions {

    /** {@code --low-latency}: chunk length and checkpoint interval that keep the output close to the source. */
    public static final double LOW_LATENCY_CHUNK_SECONDS = 1;
    public static final Duration LOW_LATENCY_CHECKPOINT_INTERVAL = Duration.ofMillis(200);

    @Mixin
    ViewerOptions viewer;

    @Mixin
    SourceOptions source;

    @Option(names = "--hls", paramLabel = "DIR",
            description = "Also write the source and upscaled streams as HLS (DIR/source, DIR/upscaled, growing while the job runs).")
    Path hls;

    @Mixin
    MetricsPortOption metrics;

    @Option(names = "--checkpoint-interval", paramLabel = "DURATION",
            description = "Interval of periodic checkpoints, ISO-8601 (default: PT10S). Each upscaled chunk is"
                    + " also checkpointed and committed (becomes visible) as soon as the job has written it.")
    Duration checkpointInterval;

    @Option(names = "--low-latency",
            description = "Live preset: " + "1 s chunks and 200 ms checkpoints unless --chunk-seconds or"
                    + " --checkpoint-interval say otherwise (more keyframes and commits, less delay).")
    boolean lowLatency;

    /** The chunk length: the preset's unless given on the command line. */
    double chunkSeconds(CommandLine cli, double given) {
        boolean explicit = cli.getParseResult() != null && cli.getParseResult().hasMatchedOption("--chunk-seconds");
        return lowLatency && !explicit ? LOW_LATENCY_CHUNK_SECONDS : given;
    }

    LiveSettings settings() {
        Duration interval = checkpointInterval != null ? checkpointInterval
                : lowLatency ? LOW_LATENCY_CHECKPOINT_INTERVAL : LiveSettings.defaults().checkpointInterval();
        return LiveSettings.defaults().withSourceTimeout(source.sourceTimeout).withInputOptions(source.inputOptions)
                .withCheckpointInterval(interval).withMetricsPort(metrics.metricsPort);
    }

    void check(CommandLine cli) {
        if (viewer.serve != null && hls == null) {
            throw new CommandLine.ParameterException(cli, "--serve needs --hls DIR (the folder to serve)");
        }
        source.check(cli);
    }

    /** Starts the viewer server if {@code --serve} was given; prints its address. */
    LiveServer startServer(CommandLine cli) throws java.io.IOException {
        return viewer.start(cli, hls);
    }

    static boolean isUrl(String source) {
        return LiveSources.isUrl(source);
    }
}
