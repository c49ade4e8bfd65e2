package org.oisrstream.jobs.cli;

import picocli.CommandLine.Option;

/**
 * {@code --bootstrap-servers} of the commands that work against a Kafka cluster ({@code ingest}, {@code topics},
 * {@code job}, {@code assemble}); {@code oisr upscale}'s is optional, as it starts a broker of its own without one.
 */
final class BrokerOption {

    @Option(names = "--bootstrap-servers", required = true, paramLabel = "HOST:PORT", description = "Kafka bootstrap servers.")
    String bootstrapServers;
}
