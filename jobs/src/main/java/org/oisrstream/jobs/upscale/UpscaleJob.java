package org.oisrstream.jobs.upscale;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.core.execution.CheckpointingMode;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.datastream.AsyncDataStream;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.OffsetResetStrategy;
import org.oisrstream.jobs.upscale.sinks.ChunkSinks;
import org.oisrstream.model.infer.Upscalers;
import org.oisrstream.operators.kafka.ChunkDeserializationSchema;
import org.oisrstream.operators.kafka.ChunkRecord;
import org.oisrstream.operators.upscale.ChunkProcessor;
import org.oisrstream.operators.upscale.UpscaleChunkFunction;

/**
 * The streaming upscaler: chunks from the input topic, keyed by stream, upscaled by an ordered async operator
 * (decode, shared batched inference, encode), written exactly once to the output topic; chunks that fail go to
 * the dead-letter topic with the reason in a header.
 *
 * <pre>
 *   KafkaSource(input) -> keyBy(stream id) -> orderedWait(UpscaleChunkFunction) -> KafkaSink(output | dead letters)
 * </pre>
 *
 * <p>Sources and sinks are parameters of {@link #build} so tests can swap them; the job's outputs are built in
 * {@link org.oisrstream.jobs.upscale.sinks} (what a new one must provide is said there). Run on a cluster with
 * {@code flink run -c org.oisrstream.jobs.upscale.UpscaleJob oisr-stream-job.jar --bootstrap-servers ...}
 * (see {@link UpscaleJobParameters.Arg} for the parameter names).
 */
public final class UpscaleJob {

    public static final String JOB_NAME = "oisr-upscale";

    private UpscaleJob() {
    }

    public static void main(String[] args) throws Exception {
        UpscaleJobParameters params = UpscaleJobParameters.fromArgs(args);
        // Fail at submission, not on every TaskManager: unknown model, missing weights, bad device.
        Upscalers.check(params.upscale().upscaler().request(1));
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(jobConfiguration(params));
        build(env, params, kafkaSource(params), ChunkSinks.kafka(params), params.chunkProcessor());
        env.execute(JOB_NAME);
    }

    /** Submits the Kafka-to-Kafka job to {@code env} and returns at once (it runs until cancelled). */
    public static JobClient start(StreamExecutionEnvironment env, UpscaleJobParameters params) throws Exception {
        define(env, params);
        return env.executeAsync(JOB_NAME);
    }

    /** Adds the Kafka-to-Kafka job to {@code env} without running it (for a caller that submits the graph itself). */
    public static void define(StreamExecutionEnvironment env, UpscaleJobParameters params) {
        build(env, params, kafkaSource(params), ChunkSinks.kafka(params), params.chunkProcessor());
    }

    /**
     * Checkpointing (exactly-once, the configured interval) and, if set, the checkpoint folder. Chunks in flight
     * are part of the async operator's state, so checkpoints can be large: keep them off the JobManager heap.
     */
    public static Configuration jobConfiguration(UpscaleJobParameters params) {
        return jobConfiguration(params.checkpointInterval(), params.checkpointDir());
    }

    /**
     * The same from the two settings it depends on, for a cluster started before the job's parameters are known;
     * {@code checkpointDir} may be null (the cluster's default storage).
     */
    public static Configuration jobConfiguration(Duration checkpointInterval, String checkpointDir) {
        Configuration conf = new Configuration();
        conf.set(CheckpointingOptions.CHECKPOINTING_INTERVAL, checkpointInterval);
        conf.set(CheckpointingOptions.CHECKPOINTING_CONSISTENCY_MODE, CheckpointingMode.EXACTLY_ONCE);
        if (checkpointDir != null) {
            conf.set(CheckpointingOptions.CHECKPOINT_STORAGE, "filesystem");
            conf.set(CheckpointingOptions.CHECKPOINTS_DIRECTORY, checkpointDir);
        }
        return conf;
    }

    /**
     * Adds the job to {@code env}: {@code source -> keyBy(stream) -> upscale -> sink}. Checkpointing is switched
     * on here too (the exactly-once sink commits on checkpoints). Returns the upscaled stream (dead letters
     * included, marked by {@link ChunkRecord#failed()}), which is also what {@code sink} receives.
     */
    public static DataStream<ChunkRecord> build(StreamExecutionEnvironment env, UpscaleJobParameters params,
                                                Source<ChunkRecord, ?, ?> source, Sink<ChunkRecord> sink,
                                                ChunkProcessor processor) {
        Objects.requireNonNull(processor, "processor");
        if (!env.getCheckpointConfig().isCheckpointingEnabled()) {
            env.enableCheckpointing(params.checkpointInterval().toMillis(), CheckpointingMode.EXACTLY_ONCE);
        }
        if (params.parallelism() > 0) {
            env.setParallelism(params.parallelism());
        }
        // Records are whole chunks (megabytes): send each at once, with no flusher thread waking every 100 ms; and no
        // periodic watermarks, which nothing here uses. Idle wakeups cost the model on small machines.
        env.setBufferTimeout(0);
        env.getConfig().setAutoWatermarkInterval(0);
        DataStream<ChunkRecord> chunks = env
                .fromSource(source, WatermarkStrategy.noWatermarks(), "chunks: " + params.inputTopic())
                .uid("chunk-source");
        DataStream<ChunkRecord> upscaled = AsyncDataStream.orderedWait(
                        chunks.keyBy(ChunkRecord::streamId),
                        new UpscaleChunkFunction(params.upscale(), processor),
                        params.chunkTimeout().toMillis(), TimeUnit.MILLISECONDS,
                        params.upscale().chunksInFlight())
                .uid("upscale")
                .name("upscale " + params.upscale().upscaler());
        upscaled.sinkTo(sink).uid("chunk-sink").name("chunks: " + params.outputTopic());
        return upscaled;
    }

    /**
     * Reads chunk records from the input topic (committed offsets of the group, else from the start). Its fetches
     * keep Kafka's 500 ms wait at the broker: a longer one asks less often when idle, but a cancelled job's source
     * closes only once its parked fetch returns (local runs' shut-down grew from under 1 s to 1.5-4.2 s with 5 s).
     */
    public static KafkaSource<ChunkRecord> kafkaSource(UpscaleJobParameters params) {
        int fetch = params.upscale().maxRecordBytes();
        return KafkaSource.<ChunkRecord>builder()
                .setProperties(params.kafka().clientProperties(params.bootstrapServers()))
                .setBootstrapServers(params.bootstrapServers())
                .setTopics(params.inputTopic())
                .setGroupId(params.groupId())
                .setStartingOffsets(OffsetsInitializer.committedOffsets(OffsetResetStrategy.EARLIEST))
                .setDeserializer(new ChunkDeserializationSchema())
                .setProperty(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed")
                .setProperty(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, Integer.toString(fetch))
                .setProperty(ConsumerConfig.FETCH_MAX_BYTES_CONFIG, Integer.toString(Math.max(fetch, 52428800)))
                .setProperty(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "16")
                .setProperty("partition.discovery.interval.ms", "10000")
                .build();
    }
}
