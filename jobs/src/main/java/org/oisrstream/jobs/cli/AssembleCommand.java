package org.oisrstream.jobs.cli;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import me.tongfei.progressbar.ProgressBar;
import org.oisrstream.jobs.assemble.StreamAssembler;
import org.oisrstream.jobs.live.LiveHlsOutput;
import org.oisrstream.jobs.live.LiveServer;
import org.oisrstream.jobs.live.TopicChunkFollower;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code oisr assemble}: collect a stream's upscaled chunks and remux them into one file. */
@Command(name = "assemble", mixinStandardHelpOptions = true,
        description = "Read a stream's upscaled chunks (read_committed) and remux them, in order and without"
                + " re-encoding, into one video file with its audio.")
public final class AssembleCommand implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Mixin
    BrokerOption broker;

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

    @Mixin
    RecordSizeOption records;

    @Option(names = "--hls", paramLabel = "DIR",
            description = "Also write the stream as HLS while it arrives: DIR/upscaled/index.m3u8 (and DIR/source with --source-topic).")
    Path hls;

    @Option(names = "--source-topic", paramLabel = "TOPIC",
            description = "With --hls: the job's input topic, to show the source chunks next to the upscaled ones.")
    String sourceTopic;

    @Mixin
    ViewerOptions viewer;

    @Mixin
    KafkaClientOptions kafka;

    @Override
    public Integer call() throws Exception {
        org.oisrstream.jobs.kafka.KafkaClientConfig kafkaConfig = kafka.config(spec.commandLine());
        if ((viewer.serve != null || sourceTopic != null) && hls == null) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--serve and --source-topic need --hls DIR");
        }
        LiveHlsOutput live = hls == null ? null : new LiveHlsOutput(hls, "(job's model)", 0, 2);
        LiveServer server = live == null ? null : viewer.start(spec.commandLine(), hls);
        TopicChunkFollower source = live == null || sourceTopic == null ? null
                : TopicChunkFollower.start(broker.bootstrapServers, kafkaConfig, sourceTopic, streamId, records.maxRecordBytes,
                        live::sourceChunk);
        try {
            assemble(live, kafkaConfig);
        } catch (RuntimeException e) {
            if (server != null) {
                server.close();
            }
            throw e;
        } finally {
            if (source != null) {
                source.close();
            }
            if (live != null) {
                live.close();
            }
        }
        BindOption.serveUntilInterrupted(spec.commandLine(), server);
        return 0;
    }

    private void assemble(LiveHlsOutput live, org.oisrstream.jobs.kafka.KafkaClientConfig kafkaConfig) {
        StreamAssembler.Result result;
        try (ProgressBar bar = FrameProgress.frames("assemble", -1)) {
            result = new StreamAssembler(new StreamAssembler.Request(broker.bootstrapServers, topic, deadLetterTopic, streamId,
                    output, timeout, records.maxRecordBytes, kafkaConfig), chunk -> {
                        // Chunks carry the source's estimated frame count, good enough for a progress bar.
                        if (bar.getMax() <= 0 && chunk.metadata().sourceFrames() > 0) {
                            bar.maxHint(chunk.metadata().sourceFrames());
                        }
                        bar.stepBy(chunk.frameCount());
                        if (live != null) {
                            live.upscaledChunk(chunk);
                        }
                    }, null).run();
        }
        spec.commandLine().getErr().printf("wrote %s: %d chunks, %d frames, %d audio packets, %.3f s%s%n",
                result.file().path(), result.chunks(), result.file().videoFrames(), result.file().audioPackets(),
                result.file().durationMicros() / 1e6,
                result.duplicates() > 0 ? " (" + result.duplicates() + " duplicate chunks dropped)" : "");
    }
}
