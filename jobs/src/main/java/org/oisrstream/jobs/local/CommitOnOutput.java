package org.oisrstream.jobs.local;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.flink.api.common.JobID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Commits upscaled chunks as soon as the job has written them. The job's exactly-once sink writes a chunk into an
 * open Kafka transaction and commits it only when the next checkpoint completes; readers ({@code read_committed})
 * see nothing before. With periodic checkpoints alone a chunk waits up to one interval, and the last one holds up
 * the finished file by as much. This watcher reads the output and dead-letter topics uncommitted, and when a record
 * of its stream appears it asks the local cluster for a checkpoint at once, so the periodic interval can stay long
 * (fewer checkpoints and transactions taking CPU from the model) without delaying output.
 */
final class CommitOnOutput implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(CommitOnOutput.class);
    /** How long one poll, and one fetch at the broker, waits for records; {@link #close()} wakes a waiting poll. */
    private static final Duration POLL = Duration.ofSeconds(5);
    /** How often a watcher waiting for its checkpoint looks whether it was closed. */
    private static final Duration CLOSED_CHECK = Duration.ofMillis(200);

    private final KafkaConsumer<byte[], byte[]> consumer;
    private final byte[] streamKey;
    private final LocalCluster cluster;
    private final JobID job;
    private final Runnable committing;
    private final Thread thread;
    private volatile boolean closed;

    private CommitOnOutput(Properties consumerProperties, List<String> topics, String streamId, LocalCluster cluster,
                           JobID job, Runnable committing) {
        this.streamKey = streamId.getBytes(StandardCharsets.UTF_8);
        this.cluster = cluster;
        this.job = job;
        this.committing = committing;
        Properties p = new Properties();
        p.putAll(consumerProperties);
        p.setProperty(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_uncommitted");
        // The broker answers a waiting fetch as soon as the job writes: the wait only sets how often an idle
        // watcher asks (twice a second by default, each one CPU taken from the model).
        p.setProperty(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, Long.toString(POLL.toMillis()));
        this.consumer = new KafkaConsumer<>(p);
        try {
            List<TopicPartition> partitions = new ArrayList<>();
            for (String topic : topics) {
                consumer.partitionsFor(topic).forEach(info -> partitions.add(new TopicPartition(topic, info.partition())));
            }
            consumer.assign(partitions);
            consumer.seekToEnd(partitions);
            // Resolve the end offsets now: only records the job writes from here on count.
            partitions.forEach(consumer::position);
        } catch (RuntimeException e) {
            consumer.close();
            throw e;
        }
        this.thread = new Thread(this::watch, "oisr-commit-on-output");
        thread.setDaemon(true);
    }

    /**
     * Starts watching {@code topics} for records keyed {@code streamId}.
     *
     * @param consumerProperties the run's consumer settings without a group (bootstrap servers, security, record
     *                           size); the isolation level is set here
     * @param committing         run when a checkpoint the watcher asked for has ended: completed, the job's sink
     *                           now commits what it wrote before it; declined, a periodic checkpoint may
     */
    static CommitOnOutput start(Properties consumerProperties, List<String> topics, String streamId,
                                LocalCluster cluster, JobID job, Runnable committing) {
        CommitOnOutput watcher = new CommitOnOutput(consumerProperties, topics, streamId, cluster, job, committing);
        watcher.thread.start();
        return watcher;
    }

    private void watch() {
        CompletableFuture<Long> inFlight = CompletableFuture.completedFuture(0L);
        try {
            while (!closed) {
                boolean written = false;
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(POLL)) {
                    written |= Arrays.equals(streamKey, record.key());
                }
                if (!written) {
                    continue;
                }
                // A chunk written while a checkpoint runs may have missed its barrier: it needs the next one. That
                // checkpoint can take seconds (its barrier queues behind a chunk's frames), so the watcher waits
                // for it rather than polling meanwhile; records written in between stay in the log for the next poll.
                awaitQuietly(inFlight);
                if (closed) {
                    break;
                }
                inFlight = cluster.triggerCheckpoint(job).whenComplete((id, failure) -> {
                    if (failure != null) {
                        LOG.debug("checkpoint after output not taken (the periodic one will commit): {}",
                                failure.toString());
                    } else {
                        LOG.debug("checkpoint {} after output", id);
                    }
                    // Declined, it may have met a periodic checkpoint that commits the chunk just as well.
                    committing.run();
                });
            }
        } catch (WakeupException e) {
            if (!closed) {
                LOG.warn("commit-on-output watcher woken up unexpectedly; chunks now wait for periodic checkpoints");
            }
        } catch (RuntimeException e) {
            LOG.warn("commit-on-output watcher stopped ({}); chunks now wait for periodic checkpoints", e.toString());
        } finally {
            // Without waiting: a graceful close waits for the fetch parked at the broker (up to POLL), and the
            // watcher has nothing to commit.
            consumer.close(Duration.ZERO);
        }
    }

    /** Waits until {@code checkpoint} is done (either way) or the watcher is closed. */
    private void awaitQuietly(CompletableFuture<Long> checkpoint) {
        while (!closed && !checkpoint.isDone()) {
            try {
                checkpoint.get(CLOSED_CHECK.toMillis(), TimeUnit.MILLISECONDS);
            } catch (TimeoutException | ExecutionException e) {
                // Done or not, the loop condition decides; a failed checkpoint is logged where it was triggered.
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    @Override
    public void close() {
        closed = true;
        consumer.wakeup();
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
