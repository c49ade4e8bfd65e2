package org.oisrstream.jobs.metrics;

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

    private PrometheusMetrics() {
    }

    /** Adds the reporter to {@code conf}, listening on {@code port} (a number or a range such as 9250-9260). */
    public static Configuration configure(Configuration conf, String port) {
        set(conf, "metrics.reporter." + REPORTER + ".factory.class", FACTORY);
        set(conf, "metrics.reporter." + REPORTER + ".port", port);
        return conf;
    }

    private static void set(Configuration conf, String key, String value) {
        conf.set(ConfigOptions.key(key).stringType().noDefaultValue(), value);
    }
}
