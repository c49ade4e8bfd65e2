package org.oisrstream.jobs.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.oisrstream.jobs.kafka.ChunkTopics;
import org.oisrstream.jobs.kafka.EmbeddedKafka;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code oisr kafka}: a single-node broker for trying {@code ingest}, {@code job} and {@code assemble} by hand. */
@Command(name = "kafka", mixinStandardHelpOptions = true,
        description = {"Run a single-node Kafka broker (KRaft, in this process) until interrupted (Ctrl-C), set up for"
                + " chunk records and exactly-once transactions.",
                "Without --data-dir its data lives in a temporary folder deleted on exit (or, after a kill, at the next"
                + " start); with --data-dir the broker can be stopped and started again with its topics and data.",
                "Prints the bootstrap servers on stdout."})
public final class KafkaCommand implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--max-message-bytes", defaultValue = "" + ChunkTopics.DEFAULT_MAX_RECORD_BYTES, paramLabel = "BYTES",
            description = "Largest record the broker accepts (default: ${DEFAULT-VALUE}).")
    int maxMessageBytes;

    @Option(names = "--data-dir", paramLabel = "DIR",
            description = "Keep the broker's data here (created if absent, reused if it holds a broker's data; kept on exit).")
    Path dataDir;

    @Option(names = "--port", defaultValue = "0", paramLabel = "N",
            description = "Client port (default: the port of the last start on --data-dir, else a free one).")
    int port;

    @Override
    public Integer call() throws Exception {
        EmbeddedKafka kafka = EmbeddedKafka.builder().maxMessageBytes(maxMessageBytes).dataDir(dataDir).port(port).start();
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
