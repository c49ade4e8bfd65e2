package org.oisrstream.jobs.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.oisrstream.jobs.kafka.ChunkTopics;
import org.oisrstream.jobs.upscale.RecoverySettings;
import org.oisrstream.jobs.upscale.UpscaleJob;
import org.oisrstream.jobs.upscale.UpscaleJobParameters;
import org.oisrstream.model.util.Folders;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code oisr job}: run the Kafka-to-Kafka upscale job on a local Flink MiniCluster until stopped. */
@Command(name = "job", mixinStandardHelpOptions = true,
        description = {"Run the streaming upscale job (input topic -> upscale -> output topic, exactly once) on a"
                + " local Flink MiniCluster in this process, until interrupted (Ctrl-C).",
                "On a Flink cluster run the same job with: flink run -c " + "org.oisrstream.jobs.upscale.UpscaleJob"
                        + " oisr-stream-job.jar --bootstrap-servers ... (same option names)."})
public final class JobCommand implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Mixin
    BrokerOption broker;

    @Option(names = "--input-topic", defaultValue = UpscaleJobParameters.DEFAULT_INPUT_TOPIC, paramLabel = "TOPIC", description = "(default: ${DEFAULT-VALUE})")
    String inputTopic;

    @Option(names = "--output-topic", defaultValue = UpscaleJobParameters.DEFAULT_OUTPUT_TOPIC, paramLabel = "TOPIC", description = "(default: ${DEFAULT-VALUE})")
    String outputTopic;

    @Option(names = "--dead-letter-topic", defaultValue = UpscaleJobParameters.DEFAULT_DEAD_LETTER_TOPIC, paramLabel = "TOPIC", description = "(default: ${DEFAULT-VALUE})")
    String deadLetterTopic;

    @Option(names = "--group-id", defaultValue = "oisr-upscale", paramLabel = "ID", description = "Consumer group of the source (default: ${DEFAULT-VALUE}).")
    String groupId;

    @Option(names = "--transactional-id-prefix", defaultValue = "oisr-upscale", paramLabel = "PREFIX", description = "Transactional id prefix of the exactly-once sink (default: ${DEFAULT-VALUE}).")
    String transactionalIdPrefix;

    @Option(names = "--checkpoint-interval-ms", defaultValue = "2000", paramLabel = "MS", description = "Checkpoint (and output commit) interval (default: ${DEFAULT-VALUE}).")
    long checkpointIntervalMs;

    @Option(names = "--checkpoint-dir", paramLabel = "URI",
            description = "Checkpoint storage, e.g. file:///var/oisr/checkpoints (default: a temporary folder, deleted"
                    + " on exit; chunks in flight are checkpointed, too big for the JobManager heap).")
    String checkpointDir;

    @Option(names = "--parallelism", defaultValue = "1", paramLabel = "N", description = "Operator parallelism (default: ${DEFAULT-VALUE}).")
    int parallelism;

    @Option(names = "--chunk-timeout", defaultValue = "PT2H", paramLabel = "DURATION",
            description = "A chunk still not upscaled after this long goes to the dead letters (default: ${DEFAULT-VALUE}).")
    java.time.Duration chunkTimeout;

    @Option(names = "--transaction-timeout", defaultValue = "PT15M", paramLabel = "DURATION",
            description = "Kafka transaction timeout of the exactly-once sink; at most the broker's"
                    + " transaction.max.timeout.ms (default: ${DEFAULT-VALUE}).")
    java.time.Duration transactionTimeout;

    @Mixin
    MetricsPortOption metrics;

    @Option(names = "--create-topics", description = "Create the three topics (1 partition, replication 1) if missing.")
    boolean createTopics;

    @Mixin
    StreamingOptions upscaler;

    @Override
    public Integer call() throws Exception {
        Path tempCheckpoints = null;
        if (checkpointDir == null) {
            tempCheckpoints = Files.createTempDirectory("oisr-job-checkpoints-");
            checkpointDir = tempCheckpoints.toUri().toString();
        }
        try {
            return run(tempCheckpoints);
        } finally {
            Folders.deleteQuietly(tempCheckpoints);
        }
    }

    private Integer run(Path tempCheckpoints) throws Exception {
        UpscaleJobParameters params;
        try {
            params = upscaler.applyTo(UpscaleJobParameters.builder(), spec.commandLine())
                    .bootstrapServers(broker.bootstrapServers).inputTopic(inputTopic).outputTopic(outputTopic)
                    .deadLetterTopic(deadLetterTopic).groupId(groupId).transactionalIdPrefix(transactionalIdPrefix)
                    .checkpointInterval(java.time.Duration.ofMillis(checkpointIntervalMs)).checkpointDir(checkpointDir)
                    .parallelism(parallelism)
                    .chunkTimeout(chunkTimeout).transactionTimeout(transactionTimeout).build();
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
        if (createTopics) {
            ChunkTopics.ensure(broker.bootstrapServers, params.kafka(), java.util.List.of(inputTopic, outputTopic, deadLetterTopic), 1,
                    (short) 1, upscaler.records.maxRecordBytes);
        }
        var conf = RecoverySettings.applyToLongRunningJob(UpscaleJob.jobConfiguration(params));
        if (metrics.metricsPort != null) {
            org.oisrstream.jobs.metrics.PrometheusMetrics.configure(conf, metrics.metricsPort);
        }
        StreamExecutionEnvironment env = StreamExecutionEnvironment.createLocalEnvironment(Math.max(1, parallelism), conf);
        JobClient job = UpscaleJob.start(env, params);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                job.cancel().get(30, java.util.concurrent.TimeUnit.SECONDS);
            } catch (Exception ignored) {
                // the process is exiting either way
            }
            Folders.deleteQuietly(tempCheckpoints);
        }, "oisr-job-cancel"));
        spec.commandLine().getErr().printf("upscale job %s running: %s -> %s (dead letters: %s), %s%n",
                job.getJobID(), inputTopic, outputTopic, deadLetterTopic, params.upscale().upscaler());
        job.getJobExecutionResult().get();
        return 0;
    }
}
