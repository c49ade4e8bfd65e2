package org.oisrstream.jobs.cli;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.oisrstream.jobs.live.LiveServer;
import org.oisrstream.jobs.live.LiveSources;
import org.oisrstream.jobs.local.LiveSettings;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/** The live options of {@code oisr upscale}: HLS output, the viewer server, live-source timeouts, metrics. */
public final class LiveOptions {

    /** {@code --low-latency}: chunk length and checkpoint interval that keep the output close to the source. */
    public static final double LOW_LATENCY_CHUNK_SECONDS = 1;
    public static final Duration LOW_LATENCY_CHECKPOINT_INTERVAL = Duration.ofMillis(200);

    @Option(names = "--hls", paramLabel = "DIR",
            description = "Also write the source and upscaled streams as HLS (DIR/source, DIR/upscaled, growing while the job runs).")
    Path hls;

    @Option(names = "--serve", paramLabel = "PORT",
            description = "Serve the HLS folder and a before/after viewer page on this port (0: any free port); needs --hls."
                    + " Keeps serving after the run until Ctrl-C.")
    Integer serve;

    @Option(names = "--bind", defaultValue = "127.0.0.1", paramLabel = "ADDRESS",
            description = "Address the viewer server listens on (default: ${DEFAULT-VALUE}, this machine only).")
    String bind;

    @Option(names = "--metrics-port", paramLabel = "PORT",
            description = "Serve the job's metrics for Prometheus at http://HOST:PORT/metrics.")
    Integer metricsPort;

    @Option(names = "--checkpoint-interval", paramLabel = "DURATION",
            description = "How often upscaled chunks are committed and become visible, ISO-8601 (default: PT1S).")
    Duration checkpointInterval;

    @Option(names = "--low-latency",
            description = "Live preset: " + "1 s chunks and 200 ms checkpoints unless --chunk-seconds or"
                    + " --checkpoint-interval say otherwise (more keyframes and commits, less delay).")
    boolean lowLatency;

    @Option(names = "--source-timeout", defaultValue = "PT10S", paramLabel = "DURATION",
            description = "For a live URL: give up opening, or end the stream, after this long without data (default: ${DEFAULT-VALUE}).")
    Duration sourceTimeout;

    @Option(names = "--input-option", paramLabel = "KEY=VALUE",
            description = "FFmpeg demuxer/protocol option for the source, e.g. rtsp_transport=tcp (repeatable).")
    Map<String, String> inputOptions = new LinkedHashMap<>();

    /** The chunk length: the preset's unless given on the command line. */
    double chunkSeconds(CommandLine cli, double given) {
        boolean explicit = cli.getParseResult() != null && cli.getParseResult().hasMatchedOption("--chunk-seconds");
        return lowLatency && !explicit ? LOW_LATENCY_CHUNK_SECONDS : given;
    }

    LiveSettings settings() {
        Duration interval = checkpointInterval != null ? checkpointInterval
                : lowLatency ? LOW_LATENCY_CHECKPOINT_INTERVAL : LiveSettings.defaults().checkpointInterval();
        return LiveSettings.defaults().withSourceTimeout(sourceTimeout).withInputOptions(inputOptions)
                .withCheckpointInterval(interval).withMetricsPort(metricsPort == null ? -1 : metricsPort);
    }

    void check(CommandLine cli) {
        if (serve != null && hls == null) {
            throw new CommandLine.ParameterException(cli, "--serve needs --hls DIR (the folder to serve)");
        }
        if (sourceTimeout.isNegative() || sourceTimeout.isZero()) {
            throw new CommandLine.ParameterException(cli, "--source-timeout must be positive");
        }
    }

    /** Starts the viewer server if {@code --serve} was given; prints its address. */
    LiveServer startServer(CommandLine cli) throws java.io.IOException {
        return serve(cli, hls, serve, bind);
    }

    static LiveServer serve(CommandLine cli, Path dir, Integer port, String bind) throws java.io.IOException {
        if (port == null) {
            return null;
        }
        InetAddress address;
        try {
            address = InetAddress.getByName(bind);
        } catch (UnknownHostException e) {
            throw new CommandLine.ParameterException(cli, "--bind " + bind + " is not an address of this machine");
        }
        LiveServer server = LiveServer.start(dir, address, port);
        cli.getErr().printf("viewer: %s (serving %s)%n", server.uri(), dir.toAbsolutePath());
        return server;
    }

    /** Keeps a server up until the process is interrupted (Ctrl-C). */
    static void serveUntilInterrupted(CommandLine cli, LiveServer server) throws InterruptedException {
        if (server != null) {
            cli.getErr().printf("still serving %s; Ctrl-C to stop%n", server.uri());
            new java.util.concurrent.CountDownLatch(1).await();
        }
    }

    static boolean isUrl(String source) {
        return LiveSources.isUrl(source);
    }
}
