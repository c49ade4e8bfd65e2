package org.oisrstream.jobs.metrics;

import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.flink.configuration.ConfigOptions;
import org.apache.flink.configuration.Configuration;

/**
 * Switches on Flink's own Prometheus reporter ({@code flink-metrics-prometheus}) for a MiniCluster: every
 * metric of the job (the operators' {@code chunksUpscaled}, {@code framesPerSecond}, {@code chunkLatencyMs},
 * ... as well as Flink's) is served at {@code http://HOST:PORT/metrics}, named
 * {@code flink_taskmanager_job_task_operator_<metric>}. The same keys go into a cluster's config file
 * ({@code deploy/local/conf}, the Kubernetes manifest).
 */
public final class PrometheusMetrics {

    public static final String REPORTER = "prom";
    public static final String FACTORY = "org.apache.flink.metrics.prometheus.PrometheusReporterFactory";
    private static final Pattern PORTS = Pattern.compile("(\\d{1,5})(?:-(\\d{1,5}))?");

    private PrometheusMetrics() {
    }

    /**
     * Adds the reporter to {@code conf}, listening on {@code port}: a number or a range such as 9250-9260 (the
     * reporter takes the first free one), as {@link #checkPorts} accepts it.
     */
    public static Configuration configure(Configuration conf, String port) {
        set(conf, "metrics.reporter." + REPORTER + ".factory.class", FACTORY);
        set(conf, "metrics.reporter." + REPORTER + ".port", checkPorts(port));
        return conf;
    }

    /**
     * Returns {@code ports} if it is a port (0..65535; 0 for any free one) or a range FROM-TO of them with
     * FROM &lt;= TO, the forms the reporter takes; throws {@link IllegalArgumentException} saying why not.
     */
    public static String checkPorts(String ports) {
        Matcher m = PORTS.matcher(ports == null ? "" : ports);
        if (!m.matches()) {
            throw new IllegalArgumentException("metrics port must be a port or a range such as 9250-9260, got '"
                    + ports + "'");
        }
        int from = Integer.parseInt(m.group(1));
        int to = m.group(2) == null ? from : Integer.parseInt(m.group(2));
        if (to > 65535 || from > to) {
            throw new IllegalArgumentException("metrics port must be 0..65535 (a range from low to high), got "
                    + ports);
        }
        return ports;
    }

    private static void set(Configuration conf, String key, String value) {
        conf.set(ConfigOptions.key(key).stringType().noDefaultValue(), value);
    }
}
