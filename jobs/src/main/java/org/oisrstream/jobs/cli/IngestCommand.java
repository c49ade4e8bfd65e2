package org.oisrstream.jobs.cli;

import java.util.concurrent.Callable;
import me.tongfei.progressbar.ProgressBar;
import org.oisrstream.jobs.ingest.ChunkIngester;
import org.oisrstream.jobs.kafka.ChunkTopics;
import org.oisrstream.operators.media.SegmenterOptions;
import org.oisrstream.operators.media.VideoSegmenter;
import picocli.CommandLine;
import picocli.CommandLine.Command;
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

    @Option(names = "--bootstrap-servers", required = true, paramLabel = "HOST:PORT", description = "Kafka bootstrap servers.")
    String bootstrapServers;

    @Option(names = "--topic", required = true, paramLabel = "TOPIC", description = "Topic to produce chunks to (the job's input topic).")
    String topic;

    @Option(names = "--stream-id", required = true, paramLabel = "ID", description = "Stream id (record key) for the chunks.")
    String streamId;

    @Option(names = "--chunk-seconds", defaultValue = "2", paramLabel = "S", description = "Minimum chunk length in seconds (default: ${DEFAULT-VALUE}).")
    double chunkSeconds;

    @Option(names = "--max-record-bytes", defaultValue = "" + ChunkTopics.DEFAULT_MAX_RECORD_BYTES, paramLabel = "BYTES",
            description = "Largest record (producer max.request.size; default: ${DEFAULT-VALUE}).")
    int maxRecordBytes;

    @Option(names = "--create-topic", description = "Create the topic (1 partition, replication 1) if it does not exist.")
    boolean createTopic;

    @Option(names = "--allow-protocols", split = ",", paramLabel = "PROTOCOL",
            description = "FFmpeg protocols the source may use beyond its own (a path: file only; a URL: its scheme"
                    + " and transports), e.g. http,tcp for a local playlist of remote segments. See docs/security.md.")
    java.util.List<String> allowProtocols = new java.util.ArrayList<>();

    @picocli.CommandLine.Mixin
    KafkaClientOptions kafka;

    @Option(names = "--source-timeout", defaultValue = "PT10S", paramLabel = "DURATION",
            description = "For a live URL: give up opening, or end the stream, after this long without data (default: ${DEFAULT-VALUE}).")
    java.time.Duration sourceTimeout;

    @Option(names = "--input-option", paramLabel = "KEY=VALUE",
            description = "FFmpeg demuxer/protocol option for the source, e.g. rtsp_transport=tcp (repeatable).")
    java.util.Map<String, String> inputOptions = new java.util.LinkedHashMap<>();

    @Override
    public Integer call() {
        if (streamId.isBlank()) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--stream-id must not be empty");
        }
        SegmenterOptions options;
        org.oisrstream.jobs.kafka.KafkaClientConfig kafkaConfig = kafka.config(spec.commandLine());
        try {
            options = SegmenterOptions.defaults().withChunkSeconds(chunkSeconds).withInputOptions(
                    org.oisrstream.operators.media.InputPolicy.restrict(source, null,
                            org.oisrstream.jobs.live.LiveSources.inputOptions(source, sourceTimeout, inputOptions),
                            allowProtocols));
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
        try (VideoSegmenter segmenter = VideoSegmenter.open(source, options)) {
            if (createTopic) {
                ChunkTopics.ensure(bootstrapServers, kafkaConfig, java.util.List.of(topic), 1, (short) 1, maxRecordBytes);
            }
            ChunkIngester.Result result;
            try (ProgressBar bar = FrameProgress.frames("ingest", segmenter.info().frameCount())) {
                result = ChunkIngester.ingest(segmenter,
                        new ChunkIngester.Target(bootstrapServers, topic, streamId, maxRecordBytes, kafkaConfig),
                        chunk -> bar.stepBy(chunk.frameCount()));
            }
            spec.commandLine().getErr().printf("ingested %s: %d chunks, %d frames, %d bytes to %s (stream %s)%n",
                    source, result.chunks(), result.frames(), result.bytes(), topic, streamId);
        }
        return 0;
    }
}
