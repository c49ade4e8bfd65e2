package org.oisrstream.jobs.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.StringJoiner;
import java.util.stream.Stream;

/**
 * CPU time of this process's threads, by what they do, from Linux's {@code /proc/self/task}. Between two snapshots
 * it shows what ran beside the model: on a machine whose processors are all the model's intra-op threads, the
 * model pays for every second of it (docs/inference.md, "Threads"), so this is a steadier measure of the pipeline's
 * cost than frames per second, which drift with the machine.
 *
 * @param seconds CPU time (user and system) per group of threads
 */
public record ThreadCpu(Map<Group, Double> seconds) {

    /** What a thread does, told by its name (Linux keeps the first 15 characters). */
    public enum Group {
        /** The inference service's worker and LibTorch's intra-op threads, which inherit its name. */
        MODEL("the model"),
        /** A chunk's decoding, encoding and muxing. */
        CODECS("codecs"),
        JIT("JIT compiler"),
        GC("garbage collector"),
        KAFKA("Kafka broker and clients"),
        FLINK("Flink"),
        OTHER("other");

        private final String label;

        Group(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }
    }

    private static final List<String> GC_PREFIXES = List.of("GC Thread", "G1 ", "VM Thread");
    private static final List<String> KAFKA_PREFIXES = List.of("data-plane-kafk", "ExpirationReape", "kafka-",
            "executor-", "metrics-meter-t", "group-coordinat", "share-", "raft-", "broker-", "controller-",
            "network-partiti", "client-metrics-", "persister-stat", "transaction-", "LogDirFailureHa",
            "AddPartitionsMa", "TxnMarkerSender", "quorum-", "producer-", "consumer-", "adminclient-");
    private static final List<String> FLINK_PREFIXES = List.of("flink-", "Flink ", "Source Data Fet", "Source: ",
            "Time Trigger", "System Time Tri", "Checkpoint", "jobmanager-", "pekko", "AsyncOperations",
            "upscale ", "Sink: ", "Legacy Source", "OutputFlusher", "Timer-", "mini-cluster-");

    public ThreadCpu {
        seconds = Map.copyOf(seconds);
    }

    /** Which group a thread of this name belongs to. */
    static Group groupOf(String name) {
        if (name.startsWith("oisr-inference")) {
            return Group.MODEL;
        }
        if (name.startsWith("oisr-chunk")) {
            return Group.CODECS;
        }
        if (name.startsWith("C1 CompilerThre") || name.startsWith("C2 CompilerThre")) {
            return Group.JIT;
        }
        if (startsWithAny(name, GC_PREFIXES)) {
            return Group.GC;
        }
        if (startsWithAny(name, KAFKA_PREFIXES)) {
            return Group.KAFKA;
        }
        if (startsWithAny(name, FLINK_PREFIXES)) {
            return Group.FLINK;
        }
        return Group.OTHER;
    }

    private static boolean startsWithAny(String name, List<String> prefixes) {
        for (String p : prefixes) {
            if (name.startsWith(p)) {
                return true;
            }
        }
        return false;
    }

    /** A snapshot of every thread's CPU time so far, by thread id; empty where /proc is not there. */
    public static Snapshot snapshot() {
        Map<String, ThreadTime> threads = new HashMap<>();
        try (Stream<Path> tasks = Files.list(Path.of("/proc/self/task"))) {
            tasks.forEach(task -> {
                try {
                    ProcStat stat = ProcStat.parse(Files.readString(task.resolve("stat")));
                    threads.put(task.getFileName().toString(),
                            new ThreadTime(stat.name(), stat.userTicks() + stat.systemTicks()));
                } catch (IOException | RuntimeException e) {
                    // the thread ended while we looked
                }
            });
        } catch (IOException | RuntimeException e) {
            return new Snapshot(Map.of());
        }
        return new Snapshot(threads);
    }

    /** One thread's name and CPU time so far (clock ticks). */
    public record ThreadTime(String name, long ticks) {
    }

    /** Every thread's CPU time at one moment. */
    public record Snapshot(Map<String, ThreadTime> threads) {

        /**
         * CPU time per group from {@code earlier} to this snapshot. Threads started in between count whole; threads
         * that ended in between are missing from both ends' difference (their last seconds are lost).
         */
        public ThreadCpu since(Snapshot earlier) {
            Map<Group, Double> sums = new EnumMap<>(Group.class);
            for (Group g : Group.values()) {
                sums.put(g, 0.0);
            }
            threads.forEach((id, now) -> {
                ThreadTime before = earlier.threads.get(id);
                long ticks = before == null ? now.ticks() : Math.max(0, now.ticks() - before.ticks());
                sums.merge(groupOf(now.name()), ticks / ProcStat.TICKS_PER_SECOND, Double::sum);
            });
            return new ThreadCpu(sums);
        }
    }

    public double seconds(Group group) {
        return seconds.getOrDefault(group, 0.0);
    }

    /** Every group but the model's with its seconds, e.g. "codecs 1.25, JIT compiler 0.32, ...". */
    public String besideModelByGroup() {
        StringJoiner groups = new StringJoiner(", ");
        for (Group g : Group.values()) {
            if (g != Group.MODEL) {
                groups.add(String.format(Locale.ROOT, "%s %.2f", g.label(), seconds(g)));
            }
        }
        return groups.toString();
    }

    /** Seconds of every group but the model's. */
    public double besideModel() {
        double sum = 0;
        for (Map.Entry<Group, Double> e : seconds.entrySet()) {
            if (e.getKey() != Group.MODEL) {
                sum += e.getValue();
            }
        }
        return sum;
    }
}
