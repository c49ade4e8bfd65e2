package org.oisrstream.jobs.cli;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import me.tongfei.progressbar.ProgressBar;
import org.oisrstream.jobs.assemble.StreamAssembler;
import org.oisrstream.jobs.kafka.ChunkTopics;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code oisr assemble}: collect a stream's upscaled chunks and remux them into one file. */
@Command(name = "assemble", mixinStandardHelpOptions = true,
        description = "Read a stream's upscaled chunks (read_committed) and remux them, in order and without"
                + " re-encoding, into one video file with its audio.")
public final class AssembleCommand implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--bootstrap-servers", required = true, paramLabel = "HOST:PORT", description = "Kafka bootstrap servers.")
    String bootstrapServers;

    @Option(names = "--topic", required = true, paramLabel = "TOPIC", description = "The job's output topic.")
    String topic;

    @Option(names = "--dead-letter-topic", paramLabel = "TOPIC", description = "The job's dead-letter topic: stop with the error if a chunk of the stream lands there.")
    String deadLetterTopic;

    @Option(names = "--stream-id", required = true, paramLabel = "ID", description = "Stream to assemble.")
    String streamId;

    @Option(names = "--output", required = true, paramLabel = "FILE", description = "Output file (.mp4, .mkv or .ts).")
    Path output;

    @Option(names = "--timeout", defaultValue = "PT1H", paramLabel = "DURATION",
            description = "Give up when no new chunk arrived for this long, ISO-8601 (default: ${DEFAULT-VALUE}).")
    Duration timeout;

    @Option(names = "--max-record-bytes", defaultValue = "" + ChunkTopics.DEFAULT_MAX_RECORD_BYTES, paramLabel = "BYTES",
            description = "Largest record to fetch (default: ${DEFAULT-VALUE}).")
    int maxRecordBytes;

    @picocli.CommandLine.Mixin
    KafkaClientOptions kafka;

    @Override
    public Integer call() {
        org.oisrstream.jobs.kafka.KafkaClientConfig kafkaConfig = kafka.config(spec.commandLine());
        StreamAssembler.Result result;
        try (ProgressBar bar = FrameProgress.frames("assemble", -1)) {
            result = new StreamAssembler(new StreamAssembler.Request(bootstrapServers, topic, deadLetterTopic, streamId,
                    output, timeout, maxRecordBytes, kafkaConfig), chunk -> {
                        // Chunks carry the source's estimated frame count, good enough for a progress bar.
                        if (bar.getMax() <= 0 && chunk.metadata().sourceFrames() > 0) {
                            bar.maxHint(chunk.metadata().sourceFrames());
                        }
                        bar.stepBy(chunk.frameCount());
                    }, null).run();
        }
        spec.commandLine().getErr().printf("wrote %s: %d chunks, %d frames, %d audio packets, %.3f s%s%n",
                result.file().path(), result.chunks(), result.file().videoFrames(), result.file().audioPackets(),
                result.file().durationMicros() / 1e6,
                result.duplicates() > 0 ? " (" + result.duplicates() + " duplicate chunks dropped)" : "");
        return 0;
    }
}
