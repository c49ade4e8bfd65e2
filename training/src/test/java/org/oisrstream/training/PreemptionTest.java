package org.oisrstream.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;
import org.bytedeco.pytorch.global.torch;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.oisrstream.training.checkpoint.CheckpointStore;
import org.oisrstream.training.monitor.LogEntry;

/**
 * Preemption through the command line: {@code oisr train} runs as a child JVM and gets the signals Kubernetes sends
 * (SIGTERM on preemption, SIGKILL when the grace period is over).
 */
class PreemptionTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    @BeforeAll
    static void singleThread() {
        torch.set_num_threads(1);
    }

    /** A tiny run logging every iteration and checkpointing only at the end (or when stopped). */
    private static List<String> args(Path data, Path out, long iterations) {
        return args(data, out, iterations, 1, 8, 100_000, 1);
    }

    private static List<String> args(Path data, Path out, long iterations, int blocks, int features,
                                     int checkpointEvery, int logEvery) {
        return List.of("--scale", "2", "--data", data.toString(), "--out", out.toString(), "--blocks",
                Integer.toString(blocks), "--features", Integer.toString(features), "--patch", "8", "--batch", "4",
                "--iterations", Long.toString(iterations), "--log-every", Integer.toString(logEvery),
                "--checkpoint-every", Integer.toString(checkpointEvery), "--precision", "fp32", "--threads", "1",
                "--no-progress", "--lr", "1e-3", "--seed", "3");
    }

    @Test
    void sigtermCheckpointsAndTheNextStartContinuesWithTheSameLossCurve() throws Exception {
        Path data = tmp.resolve("train");
        SyntheticImages.writeFolder(data, 4, 40, 36, 100);
        long iterations = 150;
        Path straight = tmp.resolve("straight");
        Path preempted = tmp.resolve("preempted");
        Path output = tmp.resolve("child.log");

        Trainer.run(TrainerTest.config(args(data, straight, iterations).toArray(String[]::new)));

        Process first = TrainProcess.start(output, args(data, preempted, iterations));
        awaitOrFail(first, () -> trainLines(preempted) >= 10, output);
        first.destroy(); // SIGTERM
        assertTrue(first.waitFor(120, TimeUnit.SECONDS), "no exit within 120 s of SIGTERM");
        assertEquals(TrainMain.EXIT_INTERRUPTED, first.exitValue(), Files.readString(output));
        long stoppedAt = new CheckpointStore(preempted).pointer(CheckpointStore.LAST).orElseThrow().step();
        assertTrue(stoppedAt >= 10 && stoppedAt < iterations, "checkpoint at " + stoppedAt);
        assertEquals(stoppedAt, trainLines(preempted), "log.jsonl ends at the checkpoint's iteration");

        Process second = TrainProcess.start(output, args(data, preempted, iterations)); // same command, no flag
        assertTrue(second.waitFor(300, TimeUnit.SECONDS), "the resumed run did not finish");
        assertEquals(0, second.exitValue(), Files.readString(output));
        assertEquals(stoppedAt, JSON.readTree(preempted.resolve("config.json").toFile()).get("startStep").asLong(),
                "the second start must continue at the iteration after the checkpoint");
        assertEquals(trainLosses(straight), trainLosses(preempted),
                "loss curve across SIGTERM and restart must equal the uninterrupted one");
    }

    @Test
    void sigkillInTheMiddleOfACheckpointLeavesThePreviousOneUsable() throws Exception {
        Path data = tmp.resolve("train");
        SyntheticImages.writeFolder(data, 4, 40, 36, 100);
        Path run = tmp.resolve("run");
        Path output = tmp.resolve("child.log");
        Path checkpoints = run.resolve("checkpoints");
        // A larger network, so a checkpoint takes long enough to be caught half-written; one after every step.
        boolean caughtMidCheckpoint = false;
        for (int attempt = 0; attempt < 8 && !caughtMidCheckpoint; attempt++) {
            Process p = TrainProcess.start(output, args(data, run, 1_000_000, 4, 32, 1, 1000));
            awaitOrFail(p, () -> Files.exists(checkpoints.resolve(CheckpointStore.LAST)) && hasTemporary(checkpoints),
                    output);
            p.destroyForcibly(); // SIGKILL
            assertTrue(p.waitFor(60, TimeUnit.SECONDS));
            caughtMidCheckpoint = hasTemporary(checkpoints);
        }
        assertTrue(caughtMidCheckpoint, "no SIGKILL landed in the middle of a checkpoint in 8 attempts");

        CheckpointStore store = new CheckpointStore(run);
        long last = store.pointer(CheckpointStore.LAST).orElseThrow().step();
        assertEquals(last, store.loadLast().orElseThrow().state().step(), "the last checkpoint verifies and loads");
        Process resumed = TrainProcess.start(output, args(data, run, last + 2, 4, 32, 1, 1000));
        assertTrue(resumed.waitFor(300, TimeUnit.SECONDS), "the resumed run did not finish");
        assertEquals(0, resumed.exitValue(), Files.readString(output));
        assertEquals(last, JSON.readTree(run.resolve("config.json").toFile()).get("startStep").asLong());
        assertEquals(last + 2, store.pointer(CheckpointStore.LAST).orElseThrow().step());
        assertTrue(!hasTemporary(checkpoints), "the half-written checkpoint is cleaned up by the next save");
    }

    private static boolean hasTemporary(Path checkpoints) {
        try (Stream<Path> files = Files.list(checkpoints)) {
            return files.anyMatch(f -> f.getFileName().toString().startsWith(".tmp-"));
        } catch (IOException e) {
            return false;
        }
    }

    private static void awaitOrFail(Process p, BooleanSupplier condition, Path output) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(300);
        while (!condition.getAsBoolean()) {
            if (!p.isAlive()) {
                fail("oisr train exited with " + p.exitValue() + " too early: " + Files.readString(output));
            }
            if (System.nanoTime() > deadline) {
                p.destroyForcibly();
                fail("oisr train did not get far enough in 300 s: " + Files.readString(output));
            }
            Thread.sleep(1);
        }
    }

    private static long trainLines(Path run) {
        Path log = run.resolve("log.jsonl");
        if (!Files.exists(log)) {
            return 0;
        }
        try (Stream<String> lines = Files.lines(log)) {
            return lines.filter(l -> l.contains("\"type\":\"train\"")).count();
        } catch (IOException | java.io.UncheckedIOException e) {
            return 0;
        }
    }

    private static List<Double> trainLosses(Path run) throws IOException {
        try (Stream<String> lines = Files.lines(run.resolve("log.jsonl"))) {
            return lines.map(l -> {
                try {
                    return JSON.readValue(l, LogEntry.class);
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            }).filter(e -> e.type().equals("train")).map(LogEntry::loss).toList();
        }
    }
}
