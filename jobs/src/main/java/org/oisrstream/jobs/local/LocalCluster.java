package org.oisrstream.jobs.local;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.common.JobID;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.core.execution.CheckpointType;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.execution.ExecutionState;
import org.apache.flink.runtime.executiongraph.AccessExecutionVertex;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.runtime.minicluster.MiniClusterConfiguration;
import org.apache.flink.runtime.minicluster.MiniClusterJobClient;
import org.apache.flink.runtime.minicluster.RpcServiceSharing;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Flink MiniCluster of one TaskManager in this JVM that runs one job and, unlike the one behind
 * {@code StreamExecutionEnvironment.createLocalEnvironment}, stays reachable: {@code oisr upscale} asks it for a
 * checkpoint as soon as an upscaled chunk is written (so the chunk is committed at once instead of at the next
 * periodic checkpoint) and waits until the job's tasks run before it counts its start-up as done.
 */
final class LocalCluster implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(LocalCluster.class);

    private static final String PEKKO_TICK = "pekko.scheduler.tick-duration";

    private final MiniCluster cluster;

    private LocalCluster(MiniCluster cluster) {
        this.cluster = cluster;
    }

    /** Starts a cluster with {@code slots} slots on one TaskManager; {@code conf} holds the cluster's settings. */
    static LocalCluster start(Configuration conf, int slots) throws Exception {
        quietRpcTimers();
        Configuration clusterConf = new Configuration(conf);
        if (!clusterConf.contains(RestOptions.BIND_PORT)) {
            clusterConf.set(RestOptions.BIND_PORT, "0");
        }
        MiniCluster cluster = new MiniCluster(new MiniClusterConfiguration.Builder()
                .setConfiguration(clusterConf)
                .setNumTaskManagers(1)
                .setNumSlotsPerTaskManager(slots)
                .setRpcServiceSharing(RpcServiceSharing.SHARED)
                .build());
        try {
            cluster.start();
        } catch (Exception | Error e) {
            cluster.close();
            throw e;
        }
        return new LocalCluster(cluster);
    }

    /**
     * Pekko's timer thread (one per actor system; the MiniCluster has two) ticks every 10 ms whether or not anything
     * is scheduled: 200 wakeups a second, each preempting the model's threads on a small machine. Flink offers no
     * option for it, but Pekko's reference configuration yields to a system property read when the RPC system
     * starts. Flink's own timeouts are seconds long, so 100 ms ticks cost nothing. A value the user set wins.
     */
    private static void quietRpcTimers() {
        if (System.getProperty(PEKKO_TICK) == null) {
            System.setProperty(PEKKO_TICK, "100ms");
        }
    }

    /**
     * Starts a cluster as {@link #start} does, on a thread of its own, so that the caller can start the broker
     * meanwhile (each takes seconds). Close what the future gives with {@link #closeWhenStarted}.
     */
    static CompletableFuture<LocalCluster> startInBackground(Configuration conf, int slots) {
        CompletableFuture<LocalCluster> started = new CompletableFuture<>();
        Thread thread = new Thread(() -> {
            try {
                started.complete(start(conf, slots));
            } catch (Throwable e) {
                started.completeExceptionally(e);
            }
        }, "oisr-cluster-start");
        thread.setDaemon(true);
        thread.start();
        return started;
    }

    /** Waits for a {@link #startInBackground} to end and closes the cluster if it started. */
    static void closeWhenStarted(CompletableFuture<LocalCluster> starting) {
        LocalCluster cluster;
        try {
            cluster = starting.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            starting.thenAccept(LocalCluster::close);
            return;
        } catch (ExecutionException e) {
            return;
        }
        cluster.close();
    }

    boolean isRunning() {
        return cluster.isRunning();
    }

    /** Submits the job built on {@code env} and returns at once. */
    JobClient submit(StreamExecutionEnvironment env, String jobName) throws Exception {
        var graph = env.getStreamGraph();
        graph.setJobName(jobName);
        JobID id = cluster.submitJob(graph).get().getJobID();
        return new MiniClusterJobClient(id, cluster, Thread.currentThread().getContextClassLoader(),
                MiniClusterJobClient.JobFinalizationBehavior.NOTHING);
    }

    /**
     * Waits until every task of the job runs (deployed, state restored, operators opened), the job ends, or
     * {@code timeout} passes; returns whether all tasks run.
     */
    boolean awaitRunning(JobID job, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            try {
                var graph = cluster.getExecutionGraph(job).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
                if (graph.getState().isGloballyTerminalState()) {
                    return false;
                }
                // While the job initialises its graph has no vertices yet.
                int tasks = 0;
                int running = 0;
                for (AccessExecutionVertex vertex : graph.getAllExecutionVertices()) {
                    tasks++;
                    running += vertex.getExecutionState() == ExecutionState.RUNNING ? 1 : 0;
                }
                if (tasks > 0 && running == tasks) {
                    return true;
                }
            } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
                LOG.debug("no execution graph for job {} yet: {}", job, e.toString());
            }
            Thread.sleep(20);
        }
        return false;
    }

    /** Asks for a checkpoint now; the future fails if the checkpoint does (e.g. while the job restarts). */
    CompletableFuture<Long> triggerCheckpoint(JobID job) {
        return cluster.triggerCheckpoint(job, CheckpointType.DEFAULT);
    }

    @Override
    public void close() {
        try {
            cluster.closeAsync().get(60, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            LOG.warn("the local Flink cluster did not shut down cleanly: {}", e.toString());
        }
    }
}
