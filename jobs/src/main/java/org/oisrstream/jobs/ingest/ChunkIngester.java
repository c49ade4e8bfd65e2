package org.oisrstream.jobs.ingest;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.function.Consumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.oisrstream.jobs.kafka.ChunkTopics;
import org.oisrstream.jobs.kafka.KafkaClientConfig;
import org.oisrstream.jobs.kafka.KafkaFailures;
import org.oisrstream.operators.kafka.ChunkRecord;
import org.oisrstream.operators.kafka.ChunkRecordCodec;
import org.oisrstream.operators.media.ChunkMetadata;
import org.oisrstream.operators.media.MediaChunk;
import org.oisrstream.operators.media.SegmenterOptions;
import org.oisrstream.operators.media.SourceInfo;
import org.oisrstream.operators.media.VideoSegmenter;

/**
 * Cuts a video source into keyframe-aligned chunks ({@link VideoSegmenter}) and produces them to a Kafka topic as
 * {@link ChunkRecord}s of one stream, with an idempotent {@code acks=all} producer. A chunk larger than the record
 * limit stops the ingest with an error that says so; nothing is skipped.
 */
public final class ChunkIngester {

    /** Room left in a record for key, headers and batch overhead. */
    static final int RECORD_OVERHEAD_BYTES = 16 * 1024;
    /** Sends allowed in flight before the ingester waits for the oldest. */
    private static final int MAX_PENDING_SENDS = 8;

    /** What was ingested. */
    public record Result(SourceInfo source, long chunks, long frames, long bytes) {
    }

    /**
     * @param bootstrapServers Kafka bootstrap servers
     * @param topic            the input topic of the upscale job
     * @param streamId         the record key; chunks of one stream stay in one partition, in order
     * @param maxRecordBytes   the producer's {@code max.request.size}; match the topic's {@code max.message.bytes}
     * @param kafka            client settings (TLS, SASL, ...)
     */
    public record Target(String bootstrapServers, String topic, String streamId, int maxRecordBytes,
                         KafkaClientConfig kafka) {
        public Target(String bootstrapServers, String topic, String streamId, int maxRecordBytes) {
            this(bootstrapServers, topic, streamId, maxRecordBytes, KafkaClientConfig.none());
        }

        public Target {
            Objects.requireNonNull(bootstrapServers, "bootstrapServers");
            Objects.requireNonNull(kafka, "kafka");
            Objects.requireNonNull(topic, "topic");
            if (streamId == null || streamId.isBlank()) {
                throw new IllegalArgumentException("stream id must not be empty");
            }
        }
    }

    private ChunkIngester() {
    }

    /** Opens the source (throws {@link org.oisrstream.operators.media.MediaException} if it cannot). */
    public static VideoSegmenter open(String source, SegmenterOptions options) {
        return VideoSegmenter.open(source, options);
    }

    /** Cuts {@code source} and produces every chunk; returns when all are acknowledged by the broker. */
    public static Result ingest(String source, SegmenterOptions options, Target target) {
        try (VideoSegmenter segmenter = open(source, options)) {
            return ingest(segmenter, target, null);
        }
    }

    /** Produces the chunks of an opened segmenter; {@code onChunk} (may be null) hears of each chunk sent. */
    public static Result ingest(VideoSegmenter segmenter, Target target, Consumer<MediaChunk> onChunk) {
        long chunks = 0;
        long frames = 0;
        long bytes = 0;
        Deque<Future<RecordMetadata>> pending = new ArrayDeque<>();
        try (var producer = createProducer(target)) {
            while (segmenter.hasNext()) {
                if (Thread.currentThread().isInterrupted()) {
                    throw new IllegalStateException("ingest of stream " + target.streamId() + " stopped after "
                            + chunks + " chunks");
                }
                MediaChunk chunk = segmenter.next();
                long limit = (long) target.maxRecordBytes() - RECORD_OVERHEAD_BYTES;
                if (chunk.data().length > limit) {
                    throw new IllegalStateException("chunk " + chunk.sequence() + " of stream " + target.streamId()
                            + " is " + chunk.data().length + " bytes, more than the " + target.maxRecordBytes()
                            + "-byte record limit (minus " + RECORD_OVERHEAD_BYTES + " for headers): use shorter"
                            + " chunks (--chunk-seconds) or raise the limit (--max-record-bytes and the topic's"
                            + " max.message.bytes)");
                }
                ChunkRecord record = ChunkRecord.of(ChunkMetadata.ofInput(target.streamId(), chunk,
                        segmenter.info()), chunk.data());
                pending.add(producer.send(ChunkRecordCodec.toProducerRecord(target.topic(), record)));
                while (pending.size() > MAX_PENDING_SENDS || (!pending.isEmpty() && pending.peek().isDone())) {
                    await(pending.poll(), target);
                }
                chunks++;
                frames += chunk.frameCount();
                bytes += chunk.data().length;
                if (onChunk != null) {
                    onChunk.accept(chunk);
                }
            }
            producer.flush();
            while (!pending.isEmpty()) {
                await(pending.poll(), target);
            }
        }
        return new Result(segmenter.info(), chunks, frames, bytes);
    }

    private static KafkaProducer<byte[], byte[]> createProducer(Target target) {
        try {
            return new KafkaProducer<>(ChunkTopics.producerProperties(target.bootstrapServers(), target.maxRecordBytes(),
                    target.kafka()));
        } catch (RuntimeException e) {
            throw new IllegalStateException(KafkaFailures.explain(e, "creating a Kafka producer",
                    target.bootstrapServers(), target.kafka().waitTimeout()), e);
        }
    }

    private static void await(Future<RecordMetadata> send, Target target) {
        try {
            send.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while producing to " + target.topic(), e);
        } catch (ExecutionException e) {
            throw new IllegalStateException(KafkaFailures.explain(e.getCause(), "producing a chunk of stream "
                    + target.streamId() + " to " + target.topic(), target.bootstrapServers(),
                    target.kafka().waitTimeout()), e.getCause());
        }
    }
}
