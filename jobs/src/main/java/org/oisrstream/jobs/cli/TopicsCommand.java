package org.oisrstream.jobs.cli;

import java.util.List;
import java.util.concurrent.Callable;
import org.oisrstream.jobs.kafka.ChunkTopics;
import org.oisrstream.jobs.upscale.UpscaleJobParameters;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code oisr topics}: creates the chunk topics on a Kafka cluster, sized for upscaled chunks. */
@Command(name = "topics", mixinStandardHelpOptions = true,
        description = {"Create the job's topics (input, output, dead letters by default) where missing, with"
                + " max.message.bytes large enough for upscaled chunks; raise it on existing topics that allow less.",
                "Run it once before submitting the job to a Flink cluster (oisr upscale and oisr job --create-topics"
                        + " do it themselves)."})
public final class TopicsCommand implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Mixin
    BrokerOption broker;

    @Parameters(paramLabel = "TOPIC", arity = "0..*", description = "Topics to create (default: "
            + UpscaleJobParameters.DEFAULT_INPUT_TOPIC + ", " + UpscaleJobParameters.DEFAULT_OUTPUT_TOPIC + ", "
            + UpscaleJobParameters.DEFAULT_DEAD_LETTER_TOPIC + ").")
    List<String> topics = List.of(UpscaleJobParameters.DEFAULT_INPUT_TOPIC, UpscaleJobParameters.DEFAULT_OUTPUT_TOPIC,
            UpscaleJobParameters.DEFAULT_DEAD_LETTER_TOPIC);

    @Option(names = "--partitions", defaultValue = "1", paramLabel = "N",
            description = "Partitions of new topics; at least the job's parallelism for many streams (default: ${DEFAULT-VALUE}).")
    int partitions;

    @Option(names = "--replication-factor", defaultValue = "1", paramLabel = "N",
            description = "Replication of new topics (default: ${DEFAULT-VALUE}; use 3 on a production cluster).")
    short replicationFactor;

    @Mixin
    RecordSizeOption records;

    @Mixin
    KafkaClientOptions kafka;

    @Override
    public Integer call() {
        if (partitions < 1 || replicationFactor < 1 || records.maxRecordBytes < 1) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "--partitions, --replication-factor and --max-record-bytes must be positive");
        }
        ChunkTopics.ensure(broker.bootstrapServers, kafka.config(spec.commandLine()), topics, partitions,
                replicationFactor, records.maxRecordBytes);
        spec.commandLine().getOut().println("topics ready on " + broker.bootstrapServers + ": " + String.join(", ", topics));
        return 0;
    }
}
