package org.oisrstream.jobs.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.oisrstream.jobs.kafka.KafkaClientConfig;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/** Kafka client settings as Kafka's own tools take them, shared by every command that talks to Kafka. */
public final class KafkaClientOptions {

    @Option(names = "--kafka-config", paramLabel = "FILE",
            description = "Kafka client properties file (security.protocol, sasl.mechanism, sasl.jaas.config,"
                    + " ssl.truststore.location, ...), as Kafka's --command-config. See docs/security.md.")
    Path file;

    @Option(names = "--kafka-property", paramLabel = "KEY=VALUE",
            description = "One Kafka client setting over the file's; may repeat. Keep secrets in --kafka-config:"
                    + " command lines are visible to other users of the machine.")
    List<String> properties = new ArrayList<>();

    /** The settings, or a {@link CommandLine.ParameterException} with a one-line reason. */
    KafkaClientConfig config(CommandLine cli) {
        try {
            return KafkaClientConfig.load(file, KafkaClientConfig.parse(properties));
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(cli, e.getMessage());
        }
    }

    boolean given() {
        return file != null || !properties.isEmpty();
    }
}
