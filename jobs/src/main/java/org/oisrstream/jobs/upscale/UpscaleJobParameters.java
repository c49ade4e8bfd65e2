package org.oisrstream.jobs.upscale;

import java.io.Serializable;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.nio.file.Path;
import java.util.Map;
import org.apache.flink.util.MultipleParameterTool;
import org.apache.flink.util.ParameterTool;
import org.oisrstream.jobs.kafka.KafkaClientConfig;
import org.oisrstream.operators.media.DecodeLimits;
import org.oisrstream.jobs.kafka.ChunkTopics;
import org.oisrstream.operators.infer.InferenceService;
import org.oisrstream.operators.infer.UpscalerSpec;
import org.oisrstream.operators.media.EncoderSettings;
import org.oisrstream.operators.upscale.MediaChunkProcessor;
import org.oisrstream.operators.upscale.UpscaleSettings;

/**
 * Everything {@link UpscaleJob} is configured with. Built with {@link #builder()}, or read from
 * {@code --name value} program arguments ({@link #fromArgs}) as {@code flink run ... --bootstrap-servers ...}
 * passes them; {@link #toArgs()} writes the same form.
 */
public record UpscaleJobParameters(
        String bootstrapServers,
        String inputTopic,
        String outputTopic,
        String deadLetterTopic,
        String groupId,
        String transactionalIdPrefix,
        Duration checkpointInterval,
        String checkpointDir,
        int parallelism,
        UpscaleSettings upscale,
        EncoderSettings encoder,
        Duration chunkTimeout,
        Duration transactionTimeout,
        KafkaClientConfig kafka,
        DecodeLimits limits) implements Serializable {

    public static final String DEFAULT_INPUT_TOPIC = "oisr.chunks.in";
    public static final String DEFAULT_OUTPUT_TOPIC = "oisr.chunks.out";
    public static final String DEFAULT_DEAD_LETTER_TOPIC = "oisr.chunks.dead";

    public UpscaleJobParameters {
        Objects.requireNonNull(bootstrapServers, "bootstrapServers");
        Objects.requireNonNull(inputTopic, "inputTopic");
        Objects.requireNonNull(outputTopic, "outputTopic");
        Objects.requireNonNull(deadLetterTopic, "deadLetterTopic");
        Objects.requireNonNull(groupId, "groupId");
        Objects.requireNonNull(transactionalIdPrefix, "transactionalIdPrefix");
        Objects.requireNonNull(upscale, "upscale");
        Objects.requireNonNull(encoder, "encoder");
        Objects.requireNonNull(kafka, "kafka");
        Objects.requireNonNull(limits, "limits");
        if (checkpointInterval.isNegative() || checkpointInterval.isZero()) {
            throw new IllegalArgumentException("checkpoint interval must be positive (exactly-once output is"
                    + " committed on checkpoints), got " + checkpointInterval);
        }
        if (parallelism < 0) {
            throw new IllegalArgumentException("parallelism must be >= 0 (0 = the environment's), got " + parallelism);
        }
        if (chunkTimeout.isNegative() || chunkTimeout.isZero()) {
            throw new IllegalArgumentException("chunk timeout must be positive, got " + chunkTimeout);
        }
    }

    /** The media processor these parameters describe: their encoder, frames per batch from the frame budget. */
    public MediaChunkProcessor chunkProcessor() {
        return new MediaChunkProcessor(encoder, Math.max(1, upscale.framesInFlight() / upscale.chunksInFlight()), limits,
                upscale.upscaler().scale());
    }

    public static Builder builder() {
        return new Builder();
    }

    public Builder toBuilder() {
        Builder b = new Builder();
        b.bootstrapServers = bootstrapServers;
        b.inputTopic = inputTopic;
        b.outputTopic = outputTopic;
        b.deadLetterTopic = deadLetterTopic;
        b.groupId = groupId;
        b.transactionalIdPrefix = transactionalIdPrefix;
        b.checkpointInterval = checkpointInterval;
        b.checkpointDir = checkpointDir;
        b.parallelism = parallelism;
        b.upscaler = upscale.upscaler();
        b.batching = upscale.batching();
        b.chunksInFlight = upscale.chunksInFlight();
        b.framesInFlight = upscale.framesInFlight();
        b.maxRecordBytes = upscale.maxRecordBytes();
        b.encoder = encoder;
        b.chunkTimeout = chunkTimeout;
        b.transactionTimeout = transactionTimeout;
        b.kafka = kafka;
        b.limits = limits;
        return b;
    }

    /**
     * Reads {@code --name value} arguments; unknown names are an error. Kafka client settings come as
     * {@code --kafka-config FILE} (a mounted secret on a cluster) and repeated {@code --kafka-property key=value}
     * for settings that are not secret: program arguments show in Flink's web UI, so a secret there is refused.
     */
    public static UpscaleJobParameters fromArgs(String[] args) {
        MultipleParameterTool multi = MultipleParameterTool.fromArgs(args);
        Map<String, String> kafkaProperties = KafkaClientConfig.parse(multi.has(Arg.KAFKA_PROPERTY)
                ? new ArrayList<>(multi.getMultiParameter(Arg.KAFKA_PROPERTY)) : List.of());
        for (String key : kafkaProperties.keySet()) {
            if (KafkaClientConfig.isSecret(key)) {
                throw new IllegalArgumentException("--" + Arg.KAFKA_PROPERTY + " " + key + "=... is a secret; job"
                        + " parameters are shown in Flink's web UI: put it in the --" + Arg.KAFKA_CONFIG
                        + " file (a mounted secret) instead");
            }
        }
        List<String> repeated = multi.toMap().keySet().stream()
                .filter(k -> !k.equals(Arg.KAFKA_PROPERTY) && multi.getMultiParameter(k).size() > 1).sorted().toList();
        if (!repeated.isEmpty()) {
            throw new IllegalArgumentException("job parameter(s) " + repeated + " given more than once");
        }
        ParameterTool p = ParameterTool.fromMap(multi.toMap());
        List<String> unknown = new ArrayList<>(p.toMap().keySet());
        unknown.removeAll(Arg.NAMES);
        if (!unknown.isEmpty()) {
            throw new IllegalArgumentException("unknown job parameter(s) " + unknown + "; known: " + Arg.NAMES);
        }
        Builder b = builder();
        if (!p.has(Arg.BOOTSTRAP)) {
            throw new IllegalArgumentException("--" + Arg.BOOTSTRAP + " is required");
        }
        b.bootstrapServers(p.get(Arg.BOOTSTRAP));
        b.inputTopic(p.get(Arg.INPUT_TOPIC, b.inputTopic));
        b.outputTopic(p.get(Arg.OUTPUT_TOPIC, b.outputTopic));
        b.deadLetterTopic(p.get(Arg.DLQ_TOPIC, b.deadLetterTopic));
        b.groupId(p.get(Arg.GROUP_ID, b.groupId));
        b.transactionalIdPrefix(p.get(Arg.TX_PREFIX, b.transactionalIdPrefix));
        b.checkpointInterval(Duration.ofMillis(p.getLong(Arg.CHECKPOINT_MS, b.checkpointInterval.toMillis())));
        b.checkpointDir(p.get(Arg.CHECKPOINT_DIR, b.checkpointDir));
        b.parallelism(p.getInt(Arg.PARALLELISM, b.parallelism));
        b.upscaler(new UpscalerSpec(p.get(Arg.MODEL, b.upscaler.model()), p.getInt(Arg.SCALE, b.upscaler.scale()),
                p.get(Arg.WEIGHTS, b.upscaler.weights()), p.get(Arg.DEVICE, b.upscaler.device()),
                p.get(Arg.PRECISION, b.upscaler.precision()), p.getInt(Arg.TILE, b.upscaler.tile())));
        b.batching(new InferenceService.Settings(p.getInt(Arg.MAX_BATCH, b.batching.maxBatch()),
                Duration.ofMillis(p.getLong(Arg.MAX_WAIT_MS, b.batching.maxWait().toMillis()))));
        b.encoder(b.encoder.toBuilder().codec(p.get(Arg.CODEC, b.encoder.codec()))
                .quality(p.getInt(Arg.QUALITY, b.encoder.quality())).preset(p.get(Arg.PRESET, b.encoder.preset()))
                .build());
        b.chunksInFlight(p.getInt(Arg.CHUNKS_IN_FLIGHT, b.chunksInFlight));
        b.framesInFlight(p.getInt(Arg.FRAMES_IN_FLIGHT, b.framesInFlight));
        b.maxRecordBytes(p.getInt(Arg.MAX_RECORD_BYTES, b.maxRecordBytes));
        b.chunkTimeout(Duration.ofMillis(p.getLong(Arg.CHUNK_TIMEOUT_MS, b.chunkTimeout.toMillis())));
        b.transactionTimeout(Duration.ofMillis(p.getLong(Arg.TX_TIMEOUT_MS, b.transactionTimeout.toMillis())));
        String kafkaConfig = p.get(Arg.KAFKA_CONFIG);
        b.kafka(KafkaClientConfig.load(kafkaConfig == null ? null : Path.of(kafkaConfig), kafkaProperties));
        DecodeLimits d = b.limits;
        b.limits(d.toBuilder().maxWidth(p.getInt(Arg.MAX_WIDTH, d.maxWidth())).maxHeight(p.getInt(Arg.MAX_HEIGHT, d.maxHeight()))
                .maxPixels(p.getLong(Arg.MAX_PIXELS, d.maxPixels()))
                .maxFramesPerChunk(p.getInt(Arg.MAX_FRAMES, d.maxFramesPerChunk()))
                .maxChunkDuration(Duration.ofMillis(p.getLong(Arg.MAX_CHUNK_MS, d.maxChunkDuration().toMillis())))
                .maxDecodedBytesPerChunk(p.getLong(Arg.MAX_DECODED_BYTES, d.maxDecodedBytesPerChunk()))
                .maxOutputWidth(p.getInt(Arg.MAX_OUTPUT_WIDTH, d.maxOutputWidth()))
                .maxOutputHeight(p.getInt(Arg.MAX_OUTPUT_HEIGHT, d.maxOutputHeight()))
                .maxOutputPixels(p.getLong(Arg.MAX_OUTPUT_PIXELS, d.maxOutputPixels())).build());
        return b.build();
    }

    /** The {@code --name value} arguments that {@link #fromArgs} reads back into these parameters. */
    public List<String> toArgs() {
        List<String> a = new ArrayList<>();
        add(a, Arg.BOOTSTRAP, bootstrapServers);
        add(a, Arg.INPUT_TOPIC, inputTopic);
        add(a, Arg.OUTPUT_TOPIC, outputTopic);
        add(a, Arg.DLQ_TOPIC, deadLetterTopic);
        add(a, Arg.GROUP_ID, groupId);
        add(a, Arg.TX_PREFIX, transactionalIdPrefix);
        add(a, Arg.CHECKPOINT_MS, checkpointInterval.toMillis());
        if (checkpointDir != null) {
            add(a, Arg.CHECKPOINT_DIR, checkpointDir);
        }
        add(a, Arg.PARALLELISM, parallelism);
        UpscalerSpec s = upscale.upscaler();
        add(a, Arg.MODEL, s.model());
        add(a, Arg.SCALE, s.scale());
        if (s.weights() != null) {
            add(a, Arg.WEIGHTS, s.weights());
        }
        add(a, Arg.DEVICE, s.device());
        add(a, Arg.PRECISION, s.precision());
        add(a, Arg.TILE, s.tile());
        add(a, Arg.MAX_BATCH, upscale.batching().maxBatch());
        add(a, Arg.MAX_WAIT_MS, upscale.batching().maxWait().toMillis());
        add(a, Arg.CODEC, encoder.codec());
        add(a, Arg.QUALITY, encoder.quality());
        if (encoder.preset() != null) {
            add(a, Arg.PRESET, encoder.preset());
        }
        add(a, Arg.CHUNKS_IN_FLIGHT, upscale.chunksInFlight());
        add(a, Arg.FRAMES_IN_FLIGHT, upscale.framesInFlight());
        add(a, Arg.MAX_RECORD_BYTES, upscale.maxRecordBytes());
        add(a, Arg.CHUNK_TIMEOUT_MS, chunkTimeout.toMillis());
        add(a, Arg.TX_TIMEOUT_MS, transactionTimeout.toMillis());
        if (kafka.file() != null) {
            add(a, Arg.KAFKA_CONFIG, kafka.file());
        }
        kafka.inline().forEach((k, v) -> {
            if (KafkaClientConfig.isSecret(k)) {
                throw new IllegalStateException("Kafka setting " + k + " is a secret and cannot become a job parameter"
                        + " (shown in Flink's web UI): put it in a --" + Arg.KAFKA_CONFIG + " file");
            }
            add(a, Arg.KAFKA_PROPERTY, k + "=" + v);
        });
        add(a, Arg.MAX_WIDTH, limits.maxWidth());
        add(a, Arg.MAX_HEIGHT, limits.maxHeight());
        add(a, Arg.MAX_PIXELS, limits.maxPixels());
        add(a, Arg.MAX_FRAMES, limits.maxFramesPerChunk());
        add(a, Arg.MAX_CHUNK_MS, limits.maxChunkDuration().toMillis());
        add(a, Arg.MAX_DECODED_BYTES, limits.maxDecodedBytesPerChunk());
        add(a, Arg.MAX_OUTPUT_WIDTH, limits.maxOutputWidth());
        add(a, Arg.MAX_OUTPUT_HEIGHT, limits.maxOutputHeight());
        add(a, Arg.MAX_OUTPUT_PIXELS, limits.maxOutputPixels());
        return a;
    }

    private static void add(List<String> args, String name, Object value) {
        args.add("--" + name);
        args.add(String.valueOf(value));
    }

    /** Program argument names. */
    public static final class Arg {
        public static final String BOOTSTRAP = "bootstrap-servers";
        public static final String INPUT_TOPIC = "input-topic";
        public static final String OUTPUT_TOPIC = "output-topic";
        public static final String DLQ_TOPIC = "dead-letter-topic";
        public static final String GROUP_ID = "group-id";
        public static final String TX_PREFIX = "transactional-id-prefix";
        public static final String CHECKPOINT_MS = "checkpoint-interval-ms";
        public static final String CHECKPOINT_DIR = "checkpoint-dir";
        public static final String PARALLELISM = "parallelism";
        public static final String MODEL = "model";
        public static final String SCALE = "scale";
        public static final String WEIGHTS = "weights";
        public static final String DEVICE = "device";
        public static final String PRECISION = "precision";
        public static final String TILE = "tile";
        public static final String MAX_BATCH = "max-batch";
        public static final String MAX_WAIT_MS = "max-wait-ms";
        public static final String CODEC = "codec";
        public static final String QUALITY = "quality";
        public static final String PRESET = "preset";
        public static final String CHUNKS_IN_FLIGHT = "chunks-in-flight";
        public static final String FRAMES_IN_FLIGHT = "frames-in-flight";
        public static final String MAX_RECORD_BYTES = "max-record-bytes";
        public static final String CHUNK_TIMEOUT_MS = "chunk-timeout-ms";
        public static final String TX_TIMEOUT_MS = "transaction-timeout-ms";
        /** A file of Kafka client properties (TLS, SASL); on a cluster a mounted secret. */
        public static final String KAFKA_CONFIG = "kafka-config";
        /** One non-secret Kafka client setting, key=value; may repeat. */
        public static final String KAFKA_PROPERTY = "kafka-property";
        public static final String MAX_WIDTH = "max-width";
        public static final String MAX_HEIGHT = "max-height";
        public static final String MAX_PIXELS = "max-pixels";
        public static final String MAX_FRAMES = "max-frames-per-chunk";
        public static final String MAX_CHUNK_MS = "max-chunk-duration-ms";
        public static final String MAX_DECODED_BYTES = "max-decoded-bytes-per-chunk";
        public static final String MAX_OUTPUT_WIDTH = "max-output-width";
        public static final String MAX_OUTPUT_HEIGHT = "max-output-height";
        public static final String MAX_OUTPUT_PIXELS = "max-output-pixels";
        static final List<String> NAMES = List.of(BOOTSTRAP, INPUT_TOPIC, OUTPUT_TOPIC, DLQ_TOPIC, GROUP_ID, TX_PREFIX,
                CHECKPOINT_MS, CHECKPOINT_DIR, PARALLELISM, MODEL, SCALE, WEIGHTS, DEVICE, PRECISION, TILE, MAX_BATCH,
                MAX_WAIT_MS, CODEC, QUALITY, PRESET, CHUNKS_IN_FLIGHT, FRAMES_IN_FLIGHT, MAX_RECORD_BYTES,
                CHUNK_TIMEOUT_MS, TX_TIMEOUT_MS, KAFKA_CONFIG, KAFKA_PROPERTY, MAX_WIDTH, MAX_HEIGHT, MAX_PIXELS,
                MAX_FRAMES, MAX_CHUNK_MS, MAX_DECODED_BYTES, MAX_OUTPUT_WIDTH, MAX_OUTPUT_HEIGHT, MAX_OUTPUT_PIXELS);

        private Arg() {
        }
    }

    /** Defaults suit one CPU machine; a GPU TaskManager wants larger batches and more chunks in flight. */
    public static final class Builder {
        private String bootstrapServers;
        private String inputTopic = DEFAULT_INPUT_TOPIC;
        private String outputTopic = DEFAULT_OUTPUT_TOPIC;
        private String deadLetterTopic = DEFAULT_DEAD_LETTER_TOPIC;
        private String groupId = "oisr-upscale";
        private String transactionalIdPrefix = "oisr-upscale";
        private Duration checkpointInterval = Duration.ofSeconds(2);
        private String checkpointDir;
        private int parallelism;
        private UpscalerSpec upscaler = UpscalerSpec.of("lf-s", 4);
        private InferenceService.Settings batching = InferenceService.Settings.defaults();
        private EncoderSettings encoder = EncoderSettings.defaults();
        private int chunksInFlight = 2;
        private int framesInFlight = 16;
        private int maxRecordBytes = ChunkTopics.DEFAULT_MAX_RECORD_BYTES;
        private Duration chunkTimeout = Duration.ofHours(2);
        private Duration transactionTimeout = Duration.ofMinutes(15);
        private KafkaClientConfig kafka = KafkaClientConfig.none();
        private DecodeLimits limits = DecodeLimits.defaults();

        public Builder bootstrapServers(String v) { bootstrapServers = v; return this; }
        public Builder inputTopic(String v) { inputTopic = v; return this; }
        public Builder outputTopic(String v) { outputTopic = v; return this; }
        public Builder deadLetterTopic(String v) { deadLetterTopic = v; return this; }
        public Builder groupId(String v) { groupId = v; return this; }
        public Builder transactionalIdPrefix(String v) { transactionalIdPrefix = v; return this; }
        public Builder checkpointInterval(Duration v) { checkpointInterval = v; return this; }
        public Builder checkpointDir(String v) { checkpointDir = v; return this; }
        public Builder parallelism(int v) { parallelism = v; return this; }
        public Builder upscaler(UpscalerSpec v) { upscaler = v; return this; }
        public Builder batching(InferenceService.Settings v) { batching = v; return this; }
        public Builder encoder(EncoderSettings v) { encoder = v; return this; }
        public Builder chunksInFlight(int v) { chunksInFlight = v; return this; }
        public Builder framesInFlight(int v) { framesInFlight = v; return this; }
        public Builder maxRecordBytes(int v) { maxRecordBytes = v; return this; }
        public Builder chunkTimeout(Duration v) { chunkTimeout = v; return this; }
        public Builder transactionTimeout(Duration v) { transactionTimeout = v; return this; }
        public Builder kafka(KafkaClientConfig v) { kafka = v; return this; }
        public Builder limits(DecodeLimits v) { limits = v; return this; }

        public UpscaleJobParameters build() {
            if (bootstrapServers == null || bootstrapServers.isBlank()) {
                throw new IllegalArgumentException("bootstrap servers are required");
            }
            return new UpscaleJobParameters(bootstrapServers, inputTopic, outputTopic, deadLetterTopic, groupId,
                    transactionalIdPrefix, checkpointInterval, checkpointDir, parallelism,
                    new UpscaleSettings(upscaler, batching, chunksInFlight, framesInFlight, maxRecordBytes), encoder,
                    chunkTimeout, transactionTimeout, kafka, limits);
        }
    }
}
