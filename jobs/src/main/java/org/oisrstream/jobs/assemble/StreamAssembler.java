package org.oisrstream.jobs.assemble;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.TreeMap;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.oisrstream.jobs.kafka.ChunkTopics;
import org.oisrstream.jobs.kafka.KafkaClientConfig;
import org.oisrstream.jobs.kafka.KafkaFailures;
import org.oisrstream.model.util.Folders;
import org.oisrstream.operators.kafka.ChunkRecord;
import org.oisrstream.operators.kafka.ChunkRecordCodec;
import org.oisrstream.operators.kafka.MalformedChunkException;
import org.oisrstream.operators.media.AssembledFile;
import org.oisrstream.operators.media.ChunkAssembler;
import org.oisrstream.operators.media.ChunkFormat;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Collects the upscaled chunks of one stream from the output topic ({@code read_committed}: only chunks whose
 * transaction committed) and, once the last chunk and every one before it have arrived, remuxes them in
 * sequence order into one file without re-encoding ({@link ChunkAssembler}; audio included, written under a
 * temporary name and renamed).
 *
 * <p>Chunks are spilled to a temporary folder as they arrive, so memory holds one chunk at a time. Duplicates
 * (the same sequence twice, e.g. after a re-ingest) are dropped. If a dead-letter topic is given, a dead letter
 * of this stream ends the wait with its error.
 */
public final class StreamAssembler {

    private static final Logger LOG = LoggerFactory.getLogger(StreamAssembler.class);

    /**
     * @param bootstrapServers Kafka bootstrap servers
     * @param topic            the upscale job's output topic
     * @param deadLetterTopic  the job's dead-letter topic to watch, or null
     * @param streamId         which stream to assemble
     * @param output           the file to write (.mp4, .mkv or .ts)
     * @param idleTimeout      give up when no new chunk of the stream arrived for this long
     * @param maxRecordBytes   the largest record to fetch
     * @param kafka            client settings (TLS, SASL, ...)
     */
    public record Request(String bootstrapServers, String topic, String deadLetterTopic, String streamId, Path output,
                          Duration idleTimeout, int maxRecordBytes, KafkaClientConfig kafka) {
        public Request(String bootstrapServers, String topic, String deadLetterTopic, String streamId, Path output,
                       Duration idleTimeout, int maxRecordBytes) {
            this(bootstrapServers, topic, deadLetterTopic, streamId, output, idleTimeout, maxRecordBytes,
                    KafkaClientConfig.none());
        }

        public Request {
            Objects.requireNonNull(kafka, "kafka");
            Objects.requireNonNull(bootstrapServers, "bootstrapServers");
            Objects.requireNonNull(topic, "topic");
            Objects.requireNonNull(streamId, "streamId");
            Objects.requireNonNull(output, "output");
            Objects.requireNonNull(idleTimeout, "idleTimeout");
        }
    }

    /** What was assembled and how many duplicates were dropped on the way. */
    public record Result(AssembledFile file, long chunks, long frames, long duplicates) {
    }

    private final Request request;
    private final Consumer<ChunkRecord> onChunk;
    private final BooleanSupplier keepWaiting;
    private final FetchPacing pacing;

    /**
     * @param onChunk     hears of each new chunk of the stream (in arrival order), e.g. for a progress bar; or null
     * @param keepWaiting polled while waiting; returning false aborts (e.g. the job failed); or null
     */
    public StreamAssembler(Request request, Consumer<ChunkRecord> onChunk, BooleanSupplier keepWaiting) {
        this(request, onChunk, keepWaiting, FetchPacing.CONTINUOUS);
    }

    /** As above, fetching when {@code pacing} says. */
    public StreamAssembler(Request request, Consumer<ChunkRecord> onChunk, BooleanSupplier keepWaiting,
                           FetchPacing pacing) {
        this.request = Objects.requireNonNull(request, "request");
        this.onChunk = onChunk == null ? c -> { } : onChunk;
        this.keepWaiting = keepWaiting == null ? () -> true : keepWaiting;
        this.pacing = Objects.requireNonNull(pacing, "pacing");
    }

    public Result run() {
        Path spill;
        try {
            spill = Files.createTempDirectory("oisr-assemble-");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a temporary folder for chunks", e);
        }
        try {
            Collected collected = collect(spill);
            LOG.debug("stream {}: all {} chunks received, assembling", request.streamId(), collected.files.size());
            List<Path> ordered = new ArrayList<>(collected.files.values());
            AssembledFile file = ChunkAssembler.assemble(new FileIterator(ordered), collected.format, request.output());
            LOG.info("stream {}: {} chunks, {} frames assembled into {}", request.streamId(), ordered.size(),
                    collected.frames, file.path());
            return new Result(file, ordered.size(), collected.frames, collected.duplicates);
        } finally {
            Folders.deleteQuietly(spill);
        }
    }

    private static final class Collected {
        final TreeMap<Long, Path> files = new TreeMap<>();
        long last = -1;
        long frames;
        /** The container every chunk of the stream has (its oisr.container header); they are opened as that only. */
        ChunkFormat format;
        long duplicates;

        boolean complete() {
            return last >= 0 && files.size() == last + 1 && files.lastKey() == last;
        }

        List<Long> missing() {
            List<Long> gaps = new ArrayList<>();
            long end = last >= 0 ? last : files.isEmpty() ? -1 : files.lastKey();
            for (long s = 0; s <= end && gaps.size() < 10; s++) {
                if (!files.containsKey(s)) {
                    gaps.add(s);
                }
            }
            return gaps;
        }
    }

    private Collected collect(Path spill) {
        Collected c = new Collected();
        var props = ChunkTopics.consumerProperties(request.bootstrapServers(), null, request.maxRecordBytes(),
                request.kafka());
        // A read_committed fetch parked at the broker was not answered when a transaction's commit made chunks
        // visible: it waited out fetch.max.wait.ms (500 ms by default), which delayed every finished file by as
        // much. The pacing keeps that wait short.
        props.putIfAbsent(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, Long.toString(pacing.fetchWait().toMillis()));
        // About one fetch per poll.
        Duration pollTimeout = pacing.fetchWait().multipliedBy(2);
        KafkaConsumer<byte[], byte[]> created;
        try {
            created = new KafkaConsumer<>(props);
        } catch (RuntimeException e) {
            throw new IllegalStateException(KafkaFailures.explain(e, "creating a Kafka consumer",
                    request.bootstrapServers(), request.kafka().waitTimeout()), e);
        }
        try (var consumer = created) {
            List<TopicPartition> partitions = new ArrayList<>(partitions(consumer, request.topic()));
            if (request.deadLetterTopic() != null) {
                partitions.addAll(partitions(consumer, request.deadLetterTopic()));
            }
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            long lastProgress = System.nanoTime();
            while (!c.complete()) {
                if (!keepWaiting.getAsBoolean()) {
                    throw new IllegalStateException("stopped waiting for stream " + request.streamId()
                            + " (" + c.files.size() + " chunks received)");
                }
                if (System.nanoTime() - lastProgress > request.idleTimeout().toNanos()) {
                    throw new IllegalStateException("timed out after " + request.idleTimeout().toSeconds()
                            + " s without a new chunk of stream " + request.streamId() + " on " + request.topic()
                            + ": have " + c.files.size() + " chunk(s)"
                            + (c.last >= 0 ? ", missing " + c.missing() : ", the last one not yet seen"));
                }
                awaitFetch();
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(pollTimeout)) {
                    if (accept(record, c, spill)) {
                        lastProgress = System.nanoTime();
                    }
                }
            }
        }
        return c;
    }

    private void awaitFetch() {
        try {
            pacing.awaitFetch();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for stream " + request.streamId());
        }
    }

    /** Takes one record; returns whether it was a new chunk of the stream. */
    private boolean accept(ConsumerRecord<byte[], byte[]> record, Collected c, Path spill) {
        if (record.key() == null || !request.streamId().equals(new String(record.key(), StandardCharsets.UTF_8))) {
            return false;
        }
        ChunkRecord chunk;
        try {
            chunk = ChunkRecordCodec.fromConsumerRecord(record);
        } catch (MalformedChunkException e) {
            throw new IllegalStateException("record " + record.topic() + "-" + record.partition() + "@"
                    + record.offset() + " of stream " + request.streamId() + " is not a chunk: " + e.getMessage());
        }
        if (record.topic().equals(request.deadLetterTopic())) {
            throw new IllegalStateException("chunk " + chunk.sequence() + " of stream " + request.streamId()
                    + " failed: " + (chunk.error() == null ? "(no reason given)" : chunk.error()));
        }
        if (c.files.containsKey(chunk.sequence())) {
            c.duplicates++;
            LOG.debug("dropping duplicate chunk {} of stream {}", chunk.sequence(), request.streamId());
            return false;
        }
        ChunkFormat format = ChunkFormat.ofContainer(chunk.metadata().container());
        if (format == null || (c.format != null && format != c.format)) {
            throw new IllegalStateException("chunk " + chunk.sequence() + " of stream " + request.streamId() + " says its"
                    + " container is '" + chunk.metadata().container() + "'; chunks are "
                    + (c.format != null ? c.format.demuxer() + " like the ones before" : "matroska or mpegts"));
        }
        c.format = format;
        if (chunk.last()) {
            c.last = chunk.sequence();
        }
        Path file = spill.resolve(String.format("%012d.chunk", chunk.sequence()));
        try {
            Files.write(file, chunk.payload());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot spill chunk " + chunk.sequence() + " to " + file, e);
        }
        c.files.put(chunk.sequence(), file);
        c.frames += chunk.frameCount();
        onChunk.accept(chunk);
        return true;
    }

    private List<TopicPartition> partitions(KafkaConsumer<byte[], byte[]> consumer, String topic) {
        List<org.apache.kafka.common.PartitionInfo> infos;
        try {
            infos = consumer.partitionsFor(topic, request.kafka().waitTimeout());
        } catch (RuntimeException e) {
            throw new IllegalStateException(KafkaFailures.explain(e, "reading " + topic, request.bootstrapServers(),
                    request.kafka().waitTimeout()), e);
        }
        if (infos == null || infos.isEmpty()) {
            throw new IllegalStateException("topic " + topic + " does not exist");
        }
        return infos.stream().map(p -> new TopicPartition(topic, p.partition())).toList();
    }

    /** Reads spilled chunks one at a time, in order. */
    private static final class FileIterator implements Iterator<byte[]> {
        private final Iterator<Path> files;

        FileIterator(List<Path> files) {
            this.files = files.iterator();
        }

        @Override
        public boolean hasNext() {
            return files.hasNext();
        }

        @Override
        public byte[] next() {
            if (!files.hasNext()) {
                throw new NoSuchElementException();
            }
            Path file = files.next();
            try {
                return Files.readAllBytes(file);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read spilled chunk " + file, e);
            }
        }
    }
}
