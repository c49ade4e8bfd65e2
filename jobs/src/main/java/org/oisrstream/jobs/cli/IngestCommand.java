package org.oisrstream.jobs.cli;

import java.util.concurrent.Callable;
import me.tongfei.progressbar.ProgressBar;
import org.oisrstream.jobs.ingest.ChunkIngester;
import org.oisrstream.jobs.kafka.ChunkTopics;
import org.oisrstream.operators.media.SegmenterOptions;
import org.oisrstream.operators.media.VideoSegmenter;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code oisr ingest}: cut a video into chunks and produce them to Kafka. */
@Command(name = "ingest", mixinStandardHelpOptions = true,
        description = "Cut a video (file, URL or device) at keyframes into chunks and produce them to a Kafka topic.")
public final class IngestCommand implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "SOURCE", description = "Video file, URL (rtsp://...) or device.")
    String source;

    @Mixin
    BrokerOption broker;

    @Option(names = "--topic", required = true, paramLabel = "TOPIC", description = "Topic to produce chunks to (the job's input topic).")
    String topic;

    @Option(names = "--stream-id", required = true, paramLabel = "ID", description = "Stream id (record key) for the chunks.")
    String streamId;

    @Option(names = "--chunk-seconds", defaultValue = "2", paramLabel = "S", description = "Minimum chunk length in seconds (default: ${DEFAULT-VALUE}).")
    double chunkSeconds;

    @Mixin
    RecordSizeOption records;

    @Option(names = "--create-topic", description = "Create the topic (1 partition, replication 1) if it does not exist.")
    boolean createTopic;

    @Mixin
    SourceOptions sourceOptions;

    @Mixin
    KafkaClientOptions kafka;

    @Override
    public Integer call() {
        if (streamId.isBlank()) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--stream-id must not be empty");
        }
        sourceOptions.check(spec.commandLine());
        SegmenterOptions options;
        org.oisrstream.jobs.kafka.KafkaClientConfig kafkaConfig = kafka.config(spec.commandLine());
        try {
            options = SegmenterOptions.defaults().withChunkSeconds(chunkSeconds).withInputOptions(
                    org.oisrstream.operators.media.InputPolicy.restrict(source, null,
                            org.oisrstream.jobs.live.LiveSources.inputOptions(source, sourceOptions.sourceTimeout,
                                    sourceOptions.inputOptions), sourceOptions.allowProtocols));
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
        try (VideoSegmenter segmenter = VideoSegmenter.open(source, options)) {
            if (createTopic) {
                ChunkTopics.ensure(broker.bootstrapServers, kafkaConfig, java.util.List.of(topic), 1, (short) 1,
                        records.maxRecordBytes);
            }
            ChunkIngester.Result result;
            try (ProgressBar bar = FrameProgress.frames("ingest", segmenter.info().frameCount())) {
                result = ChunkIngester.ingest(segmenter,
                        new ChunkIngester.Target(broker.bootstrapServers, topic, streamId, records.maxRecordBytes, kafkaConfig),
                        chunk -> bar.stepBy(chunk.frameCount()));
            }
            spec.commandLine().getErr().printf("ingested %s: %d chunks, %d frames, %d bytes to %s (stream %s)%n",
                    source, result.chunks(), result.frames(), result.bytes(), topic, streamId);
        }
        return 0;
    }
}
