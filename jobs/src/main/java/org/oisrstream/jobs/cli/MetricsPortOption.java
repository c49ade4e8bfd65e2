package org.oisrstream.jobs.cli;

import org.oisrstream.jobs.metrics.PrometheusMetrics;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/** {@code --metrics-port}: where {@code oisr job} and {@code oisr upscale} serve the job's metrics for Prometheus. */
final class MetricsPortOption {

    @Option(names = "--metrics-port", paramLabel = "PORT", converter = Ports.class,
            description = "Serve the job's metrics for Prometheus at http://HOST:PORT/metrics (a port, or a range such as"
                    + " 9250-9260 to take the first free one).")
    String metricsPort;

    /** Refuses what the reporter would not take, at parse time: a port 0..65535 or a range FROM-TO of them. */
    static final class Ports implements CommandLine.ITypeConverter<String> {
        @Override
        public String convert(String value) {
            try {
                return PrometheusMetrics.checkPorts(value);
            } catch (IllegalArgumentException e) {
                throw new CommandLine.TypeConversionException(e.getMessage());
            }
        }
    }
}
