package org.oisrstream.jobs.upscale;

import java.time.Duration;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.HeartbeatManagerOptions;
import org.apache.flink.configuration.RestartStrategyOptions;

/**
 * How fast a failure is noticed and how the job comes back: the values this project chose instead of Flink's
 * defaults, for the MiniClusters of {@code oisr upscale}/{@code oisr job}. deploy/local/conf/config.yaml and
 * deploy/k8s/flink-deployment.yaml carry the same values; docs/operations.md gives the reasons.
 */
public final class RecoverySettings {

    /**
     * In a MiniCluster the JobManager and TaskManager share one JVM: no TaskManager can die alone, so a missed
     * heartbeat can only be a stall (a long GC, a starved CPU) and a restart would not help. Heartbeats every 2 s,
     * a peer silent for 20 s is dead (Flink: 10 s / 50 s). The separate processes of a cluster use 1 s / 5 s
     * (config.yaml).
     */
    public static final Duration HEARTBEAT_INTERVAL = Duration.ofSeconds(2);
    public static final Duration HEARTBEAT_TIMEOUT = Duration.ofSeconds(20);
    /** Heartbeat RPCs refused in a row (a peer that is gone) that mark the peer dead before the timeout. */
    public static final int HEARTBEAT_RPC_FAILURE_THRESHOLD = 2;

    /**
     * Exponential delay 1 s, x2, at most 2 s; after 60 s without a failure it starts again at 1 s. The cap is low
     * because an attempt made while no TaskManager is there fails at once and costs nothing, and a higher cap made
     * the job wait up to 8 s more after a replacement registered.
     */
    public static final Duration RESTART_INITIAL_DELAY = Duration.ofSeconds(1);
    public static final Duration RESTART_MAX_DELAY = Duration.ofSeconds(2);
    public static final double RESTART_MULTIPLIER = 2.0;
    public static final Duration RESTART_RESET_AFTER = Duration.ofSeconds(60);
    public static final double RESTART_JITTER = 0.1;

    /** A checkpoint carries the chunks in flight; 5 min is ample on a CPU and still catches a stuck one. */
    public static final Duration CHECKPOINT_TIMEOUT = Duration.ofMinutes(5);
    /** Checkpoints that may fail in a row (a short broker outage) before the job restarts from the last one. */
    public static final int TOLERABLE_CHECKPOINT_FAILURES = 3;

    /** {@code oisr upscale} gives up after this many restarts: a file job with a permanent fault should end. */
    public static final int FILE_JOB_RESTART_ATTEMPTS = 3;
    public static final Duration FILE_JOB_RESTART_DELAY = Duration.ofSeconds(2);

    private RecoverySettings() {
    }

    /** Heartbeats, restart strategy and checkpoint limits of a long-running job ({@code oisr job}). */
    public static Configuration applyToLongRunningJob(Configuration conf) {
        applyHeartbeats(conf);
        applyCheckpointLimits(conf);
        conf.set(RestartStrategyOptions.RESTART_STRATEGY, "exponential-delay");
        conf.set(RestartStrategyOptions.RESTART_STRATEGY_EXPONENTIAL_DELAY_INITIAL_BACKOFF, RESTART_INITIAL_DELAY);
        conf.set(RestartStrategyOptions.RESTART_STRATEGY_EXPONENTIAL_DELAY_MAX_BACKOFF, RESTART_MAX_DELAY);
        conf.set(RestartStrategyOptions.RESTART_STRATEGY_EXPONENTIAL_DELAY_BACKOFF_MULTIPLIER, RESTART_MULTIPLIER);
        conf.set(RestartStrategyOptions.RESTART_STRATEGY_EXPONENTIAL_DELAY_RESET_BACKOFF_THRESHOLD, RESTART_RESET_AFTER);
        conf.set(RestartStrategyOptions.RESTART_STRATEGY_EXPONENTIAL_DELAY_JITTER_FACTOR, RESTART_JITTER);
        conf.set(RestartStrategyOptions.RESTART_STRATEGY_EXPONENTIAL_DELAY_ATTEMPTS, Integer.MAX_VALUE);
        return conf;
    }

    /** Heartbeats, checkpoint limits and a few quick restarts for a job over one file ({@code oisr upscale}). */
    public static Configuration applyToFileJob(Configuration conf) {
        applyHeartbeats(conf);
        applyCheckpointLimits(conf);
        conf.set(RestartStrategyOptions.RESTART_STRATEGY, "fixed-delay");
        conf.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_ATTEMPTS, FILE_JOB_RESTART_ATTEMPTS);
        conf.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_DELAY, FILE_JOB_RESTART_DELAY);
        return conf;
    }

    private static void applyHeartbeats(Configuration conf) {
        conf.set(HeartbeatManagerOptions.HEARTBEAT_INTERVAL, HEARTBEAT_INTERVAL);
        conf.set(HeartbeatManagerOptions.HEARTBEAT_TIMEOUT, HEARTBEAT_TIMEOUT);
        conf.set(HeartbeatManagerOptions.HEARTBEAT_RPC_FAILURE_THRESHOLD, HEARTBEAT_RPC_FAILURE_THRESHOLD);
    }

    private static void applyCheckpointLimits(Configuration conf) {
        conf.set(CheckpointingOptions.CHECKPOINTING_TIMEOUT, CHECKPOINT_TIMEOUT);
        conf.set(CheckpointingOptions.TOLERABLE_FAILURE_NUMBER, TOLERABLE_CHECKPOINT_FAILURES);
    }
}
