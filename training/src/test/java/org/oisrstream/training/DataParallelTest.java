package org.oisrstream.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.bytedeco.pytorch.global.torch;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.oisrstream.model.weights.HostTensor;
import org.oisrstream.model.weights.Safetensors;
import org.oisrstream.training.monitor.LogEntry;

/**
 * Data-parallel training over LibTorch's Gloo process group: two CPU processes on loopback, each with half of every
 * batch, must train like one process with the whole batch (up to floating-point summation order).
 */
class DataParallelTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    @BeforeAll
    static void singleThread() {
        torch.set_num_threads(1);
    }

    private static List<String> args(Path data, Path out, int iterations, String... extra) {
        List<String> args = new ArrayList<>(List.of("--scale", "2", "--data", data.toString(), "--out",
                out.toString(), "--blocks", "1", "--features", "8", "--patch", "8", "--batch", "4", "--iterations",
                Integer.toString(iterations), "--log-every", "1", "--checkpoint-every", "100", "--precision", "fp32",
                "--threads", "1", "--no-progress", "--lr", "1e-3", "--seed", "3", "--no-cache"));
        args.addAll(List.of(extra));
        return args;
    }

    @Test
    void twoGlooProcessesWithHalfBatchesTrainLikeOneWithTheWholeBatch() throws Exception {
        Path data = tmp.resolve("train");
        SyntheticImages.writeFolder(data, 4, 40, 36, 100);
        Path single = tmp.resolve("single");
        Path parallel = tmp.resolve("parallel");
        Trainer.run(TrainerTest.config(args(data, single, 8).toArray(String[]::new)));

        int port;
        try (ServerSocket probe = new ServerSocket(0)) {
            port = probe.getLocalPort();
        }
        List<Process> ranks = new ArrayList<>();
        List<Path> outputs = new ArrayList<>();
        for (int rank = 0; rank < 2; rank++) {
            Path output = tmp.resolve("rank" + rank + ".log");
            outputs.add(output);
            ranks.add(TrainProcess.start(output, args(data, parallel, 8, "--world-size", "2", "--rank",
                    Integer.toString(rank), "--dist-port", Integer.toString(port))));
        }
        for (int rank = 0; rank < 2; rank++) {
            Process p = ranks.get(rank);
            if (!p.waitFor(300, TimeUnit.SECONDS)) {
                ranks.forEach(Process::destroyForcibly);
            }
            assertEquals(0, p.exitValue(), "rank " + rank + ": " + Files.readString(outputs.get(rank)));
        }

        List<Double> expected = trainLosses(single);
        List<Double> actual = trainLosses(parallel);
        assertEquals(8, expected.size());
        assertEquals(expected.size(), actual.size());
        for (int i = 0; i < expected.size(); i++) {
            assertEquals(expected.get(i), actual.get(i), 1e-4 * Math.abs(expected.get(i)), "loss at iteration " + (i + 1));
        }
        Map<String, HostTensor> one = Safetensors.read(single.resolve("checkpoints/step-00000008/model.safetensors"))
                .tensors();
        Map<String, HostTensor> two = Safetensors.read(parallel.resolve("checkpoints/step-00000008/model.safetensors"))
                .tensors();
        assertEquals(one.keySet(), two.keySet());
        double maxDifference = 0;
        for (String name : one.keySet()) {
            float[] a = one.get(name).toFloats();
            float[] b = two.get(name).toFloats();
            for (int i = 0; i < a.length; i++) {
                maxDifference = Math.max(maxDifference, Math.abs(a[i] - b[i]));
            }
        }
        System.out.printf("data-parallel vs single process: largest weight difference %.3g after 8 steps%n",
                maxDifference);
        // Eight Adam steps of lr 1e-3 move weights by up to ~8e-3; the two runs must agree far more closely.
        assertTrue(maxDifference < 1e-5, "largest weight difference " + maxDifference);
    }

    @Test
    void theLocalLauncherForwardsSigtermToItsReplicasAndTheNextStartContinues() throws Exception {
        Path data = tmp.resolve("train");
        SyntheticImages.writeFolder(data, 4, 40, 36, 100);
        Path single = tmp.resolve("single");
        Path launched = tmp.resolve("launched");
        Path output = tmp.resolve("launcher.log");
        Trainer.run(TrainerTest.config(args(data, single, 60).toArray(String[]::new)));

        List<String> launch = args(data, launched, 60, "--local-replicas", "2", "--device", "cpu");
        Process first = TrainProcess.start(output, launch);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(300);
        while (trainLosses(launched, true).size() < 5) {
            assertTrue(first.isAlive(), "the launcher ended too early: " + Files.readString(output));
            assertTrue(System.nanoTime() < deadline, "no progress in 300 s: " + Files.readString(output));
            Thread.sleep(5);
        }
        first.destroy(); // SIGTERM to the launcher, which forwards it to both replicas
        assertTrue(first.waitFor(120, TimeUnit.SECONDS));
        assertEquals(TrainMain.EXIT_INTERRUPTED, first.exitValue(), Files.readString(output));
        long stoppedAt = JSON.readTree(launched.resolve("checkpoints/last.json").toFile()).get("step").asLong();
        assertTrue(stoppedAt >= 5 && stoppedAt < 60, "checkpoint at " + stoppedAt);

        Process second = TrainProcess.start(output, launch);
        assertTrue(second.waitFor(300, TimeUnit.SECONDS), "the resumed replicas did not finish");
        assertEquals(0, second.exitValue(), Files.readString(output));
        assertEquals(stoppedAt, JSON.readTree(launched.resolve("config.json").toFile()).get("startStep").asLong());
        List<Double> expected = trainLosses(single);
        List<Double> actual = trainLosses(launched);
        assertEquals(expected.size(), actual.size());
        for (int i = 0; i < expected.size(); i++) {
            assertEquals(expected.get(i), actual.get(i), 1e-4 * Math.abs(expected.get(i)), "loss at iteration " + (i + 1));
        }
    }

    private static List<Double> trainLosses(Path run) throws IOException {
        return trainLosses(run, false);
    }

    /** The train losses of log.jsonl; {@code lenient} tolerates a missing file or a line being written. */
    private static List<Double> trainLosses(Path run, boolean lenient) throws IOException {
        if (lenient && !Files.exists(run.resolve("log.jsonl"))) {
            return List.of();
        }
        try (Stream<String> lines = Files.lines(run.resolve("log.jsonl"))) {
            return lines.map(l -> {
                try {
                    return JSON.readValue(l, LogEntry.class);
                } catch (IOException e) {
                    if (lenient) {
                        return null;
                    }
                    throw new IllegalStateException(e);
                }
            }).filter(e -> e != null && e.type().equals("train")).map(LogEntry::loss).toList();
        }
    }
}
