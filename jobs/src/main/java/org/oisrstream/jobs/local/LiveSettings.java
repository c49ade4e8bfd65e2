package org.oisrstream.jobs.local;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import org.oisrstream.jobs.live.LiveSources;
import org.oisrstream.jobs.metrics.PrometheusMetrics;

/**
 * The settings of a local run that matter for live sources and live watching.
 *
 * @param sourceTimeout      bound on every network wait of a URL source ({@link LiveSources#inputOptions})
 * @param inputOptions       extra FFmpeg demuxer/protocol options for the source (win over the defaults)
 * @param checkpointInterval how often the job commits output: upscaled chunks become visible (read_committed)
 *                           only then, so this adds up to one interval of latency
 * @param metricsPort        port (or range of ports, {@link PrometheusMetrics#checkPorts}) of the Prometheus
 *                           endpoint of the job's metrics, or null for none
 */
public record LiveSettings(Duration sourceTimeout, Map<String, String> inputOptions, Duration checkpointInterval,
                           String metricsPort) {

    public LiveSettings {
        Objects.requireNonNull(sourceTimeout, "sourceTimeout");
        Objects.requireNonNull(checkpointInterval, "checkpointInterval");
        inputOptions = Map.copyOf(inputOptions);
        if (checkpointInterval.toMillis() < 10) {
            throw new IllegalArgumentException("checkpoint interval must be at least 10 ms, got " + checkpointInterval);
        }
        if (metricsPort != null) {
            PrometheusMetrics.checkPorts(metricsPort);
        }
    }

    /** 10 s source timeout, no extra options, 1 s checkpoints, no metrics endpoint. */
    public static LiveSettings defaults() {
        return new LiveSettings(LiveSources.DEFAULT_TIMEOUT, Map.of(), Duration.ofSeconds(1), null);
    }

    public LiveSettings withSourceTimeout(Duration value) {
        return new LiveSettings(value, inputOptions, checkpointInterval, metricsPort);
    }

    public LiveSettings withInputOptions(Map<String, String> value) {
        return new LiveSettings(sourceTimeout, value, checkpointInterval, metricsPort);
    }

    public LiveSettings withCheckpointInterval(Duration value) {
        return new LiveSettings(sourceTimeout, inputOptions, value, metricsPort);
    }

    public LiveSettings withMetricsPort(String value) {
        return new LiveSettings(sourceTimeout, inputOptions, checkpointInterval, value);
    }
}
