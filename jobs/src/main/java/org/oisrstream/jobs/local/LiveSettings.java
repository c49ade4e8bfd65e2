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
 * @param checkpointInterval how often the job checkpoints besides the checkpoint after each upscaled chunk (which
 *                           commits it: chunks become visible, read_committed, only then)
 * @param metricsPort        port (or range of ports, {@link PrometheusMetrics#checkPorts}) of the Prometheus
 *                           endpoint of the job's metrics, or null for none
 */
public record LiveSettings(Duration sourceTimeout, Map<String, String> inputOptions, Duration checkpointInterval,
                           String metricsPort) {

    public static final Duration DEFAULT_CHECKPOINT_INTERVAL = Duration.ofSeconds(10);

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

    /**
     * 10 s source timeout, no extra options, periodic checkpoints every 10 s, no metrics endpoint. A local run also
     * checkpoints as soon as an upscaled chunk is written ({@link CommitOnOutput}), so the periodic interval does not
     * delay output; each checkpoint costs CPU the model would use.
     */
    public static LiveSettings defaults() {
        return new LiveSettings(LiveSources.DEFAULT_TIMEOUT, Map.of(), DEFAULT_CHECKPOINT_INTERVAL, null);
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
