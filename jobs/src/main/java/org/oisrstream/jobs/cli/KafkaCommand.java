package org.oisrstream.jobs.cli;

import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.oisrstream.jobs.kafka.ChunkTopics;
import org.oisrstream.jobs.kafka.EmbeddedKafka;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code oisr kafka}: a single-node broker for trying {@code ingest}, {@code job} and {@code assemble} by hand. */
@Command(name = "kafka", mixinStandardHelpOptions = true,
        description = {"Run a single-node Kafka broker (KRaft, in this process, data in a temporary folder) until"
                + " interrupted (Ctrl-C), set up for chunk records and exactly-once transactions.",
                "Prints the bootstrap servers on stdout."})
public final class KafkaCommand implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--max-message-bytes", defaultValue = "" + ChunkTopics.DEFAULT_MAX_RECORD_BYTES, paramLabel = "BYTES",
            description = "Largest record the broker accepts (default: ${DEFAULT-VALUE}).")
    int maxMessageBytes;

    @Override
    public Integer call() throws Exception {
        EmbeddedKafka kafka = EmbeddedKafka.start(maxMessageBytes, Map.of());
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            kafka.close();
            stopped.countDown();
        }, "oisr-kafka-stop"));
        spec.commandLine().getOut().println(kafka.bootstrapServers());
        spec.commandLine().getOut().flush();
        stopped.await();
        return 0;
    }
}
