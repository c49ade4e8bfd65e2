package org.oisrstream.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.bytedeco.pytorch.global.torch;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.oisrstream.model.infer.ComputeDevice;
import org.oisrstream.model.infer.Precision;
import org.junit.jupiter.api.io.TempDir;
import org.oisrstream.model.weights.DType;
import org.oisrstream.model.weights.HostTensor;
import org.oisrstream.model.weights.Safetensors;
import org.oisrstream.model.weights.StateDict;
import org.oisrstream.training.checkpoint.CorruptCheckpointException;
import org.oisrstream.training.monitor.LogEntry;
import picocli.CommandLine;

class TrainerTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    @BeforeAll
    static void singleThread() {
        // Determinism of the resume test needs one intra-op thread; it also keeps the test light on a shared CPU.
        torch.set_num_threads(1);
    }

    private Path trainFolder() throws IOException {
        Path dir = tmp.resolve("train");
        SyntheticImages.writeFolder(dir, 4, 40, 36, 100);
        return dir;
    }

    private Path valFolder() throws IOException {
        Path dir = tmp.resolve("val");
        SyntheticImages.writeFolder(dir, 2, 32, 32, 900);
        return dir;
    }

    static TrainConfig config(String... args) {
        TrainMain main = new TrainMain();
        new CommandLine(main).parseArgs(args);
        return main.options.toConfig();
    }

    private TrainConfig tiny(Path data, Path val, Path out, long iterations, String... extra) {
        List<String> args = new ArrayList<>(List.of("--scale", "2", "--data", data.toString(), "--out", out.toString(),
                "--blocks", "1", "--features", "8", "--patch", "8", "--batch", "4", "--iterations",
                Long.toString(iterations), "--log-every", "1", "--val-every", "2", "--checkpoint-every", "2",
                "--precision", "fp32", "--threads", "1", "--no-progress", "--lr", "1e-3", "--seed", "3"));
        if (val != null) {
            args.addAll(List.of("--val", val.toString()));
        }
        args.addAll(List.of(extra));
        return config(args.toArray(String[]::new));
    }

    @Test
    void aFewIterationsRunEndToEndAndWriteCheckpointLogAndPlot() throws IOException {
        Path data = trainFolder();
        Files.write(data.resolve("broken.png"), new byte[] {1, 2, 3});
        SyntheticImages.writeFolder(data.resolve("small"), 1, 10, 10, 5);
        Path out = tmp.resolve("run");

        TrainSummary summary = Trainer.run(tiny(data, valFolder(), out, 4));

        assertEquals(4, summary.step());
        assertTrue(Files.isRegularFile(out.resolve("checkpoints/step-00000004/model.safetensors")));
        assertTrue(Files.isRegularFile(out.resolve("checkpoints/step-00000004/optimizer.safetensors")));
        assertTrue(Files.isRegularFile(out.resolve("curve.png")));
        StateDict best = Safetensors.read(out.resolve("best.safetensors"));
        assertTrue(best.tensors().containsKey("tail.1.weight"));
        List<LogEntry> log = readLog(out);
        assertEquals(4, log.stream().filter(e -> e.type().equals("train")).count());
        assertEquals(2, log.stream().filter(e -> e.type().equals("val")).count());
        assertTrue(log.stream().filter(e -> e.type().equals("val")).allMatch(e -> e.psnr().get("val") > 5));
        JsonNode config = JSON.readTree(out.resolve("config.json").toFile());
        assertEquals(4, config.get("trainImages").asInt());
        assertEquals(2, config.get("skippedImages").size(), config.get("skippedImages").toString());
        JsonNode last = JSON.readTree(out.resolve("checkpoints/last.json").toFile());
        assertEquals(4, last.get("step").asLong());
    }

    @Test
    void resumeGivesTheSameLossesAsAnUninterruptedRun() throws IOException {
        Path data = trainFolder();
        Path straight = tmp.resolve("straight");
        Path interrupted = tmp.resolve("interrupted");

        Trainer.run(tiny(data, null, straight, 6));
        Trainer.run(tiny(data, null, interrupted, 4));
        Trainer.run(tiny(data, null, interrupted, 6, "--resume"));

        List<Double> expected = trainLosses(straight);
        List<Double> resumed = trainLosses(interrupted);
        assertEquals(6, expected.size());
        assertEquals(expected, resumed, "loss curve after resume must equal the uninterrupted one");
    }

    @Test
    void aTruncatedOrCorruptedCheckpointIsRefused() throws IOException {
        Path data = trainFolder();
        Path out = tmp.resolve("run");
        Trainer.run(tiny(data, null, out, 2));
        Path model = out.resolve("checkpoints/step-00000002/model.safetensors");
        byte[] original = Files.readAllBytes(model);

        try (RandomAccessFile f = new RandomAccessFile(model.toFile(), "rw")) {
            f.setLength(original.length / 2);
        }
        CorruptCheckpointException truncated = assertThrows(CorruptCheckpointException.class,
                () -> Trainer.run(tiny(data, null, out, 4, "--resume")));
        assertTrue(truncated.getMessage().contains("truncated"), truncated.getMessage());

        byte[] flipped = original.clone();
        flipped[flipped.length - 3] ^= 0x55;
        Files.write(model, flipped);
        CorruptCheckpointException corrupted = assertThrows(CorruptCheckpointException.class,
                () -> Trainer.run(tiny(data, null, out, 4, "--resume")));
        assertTrue(corrupted.getMessage().contains("corrupted"), corrupted.getMessage());
    }

    @Test
    void aFolderWithNothingUsableFailsClearly() throws IOException {
        Path data = tmp.resolve("bad");
        Files.createDirectories(data);
        Files.write(data.resolve("a.jpg"), new byte[] {0, 1});
        SyntheticImages.writeFolder(data, 1, 12, 12, 1);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Trainer.run(tiny(data, null, tmp.resolve("run"), 2)));
        assertTrue(e.getMessage().contains("none of the 2 images is usable"), e.getMessage());
    }

    @Test
    void anExistingRunIsNotOverwrittenWithResumeNever() throws IOException {
        Path data = trainFolder();
        Path out = tmp.resolve("run");
        Trainer.run(tiny(data, null, out, 2));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Trainer.run(tiny(data, null, out, 4, "--resume", "never")));
        assertTrue(e.getMessage().contains("--resume"), e.getMessage());
    }

    @Test
    void byDefaultAStartContinuesTheRunItsFolderHolds() throws IOException {
        Path data = trainFolder();
        Path out = tmp.resolve("run");
        Trainer.run(tiny(data, null, out, 2));
        TrainSummary again = Trainer.run(tiny(data, null, out, 3));
        assertEquals(3, again.step());
        assertEquals(2, JSON.readTree(out.resolve("config.json").toFile()).get("startStep").asLong());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Trainer.run(tiny(data, null, tmp.resolve("empty"), 2, "--resume")));
        assertTrue(e.getMessage().contains("nothing to resume"), e.getMessage());
    }

    @Test
    void initLoadsEveryTensorThatFitsAndInitialisesTheRest() throws IOException {
        Path data = trainFolder();
        Path x2 = tmp.resolve("x2");
        Trainer.run(tiny(data, null, x2, 2));
        Path out = tmp.resolve("x4");
        List<String> args = List.of("--scale", "4", "--data", data.toString(), "--out", out.toString(), "--blocks", "1",
                "--features", "8", "--patch", "8", "--batch", "2", "--iterations", "1", "--precision", "fp32",
                "--threads", "1", "--no-progress", "--init", x2.resolve("checkpoints/step-00000002/model.safetensors").toString());
        Trainer.run(config(args.toArray(String[]::new)));
        StateDict x2Weights = Safetensors.read(x2.resolve("checkpoints/step-00000002/model.safetensors"));
        StateDict x4Weights = Safetensors.read(out.resolve("checkpoints/step-00000001/model.safetensors"));
        // One Adam step with lr 1e-4 moves every weight by at most about 1e-4.
        float[] before = x2Weights.tensors().get("head.0.weight").toFloats();
        float[] after = x4Weights.tensors().get("head.0.weight").toFloats();
        for (int i = 0; i < before.length; i++) {
            assertEquals(before[i], after[i], 2e-4);
        }
        assertTrue(x4Weights.tensors().containsKey("tail.0.2.weight"), "x4 upsampler has a second conv");
    }

    @Test
    void initTakesDataParallelWeightsWithTheirModulePrefix() throws IOException {
        Path data = trainFolder();
        Path x2 = tmp.resolve("x2");
        Trainer.run(tiny(data, null, x2, 2));
        StateDict trained = Safetensors.read(x2.resolve("checkpoints/step-00000002/model.safetensors"));
        Map<String, HostTensor> wrapped = new LinkedHashMap<>();
        trained.tensors().forEach((k, v) -> wrapped.put("module." + k, v));
        Path file = tmp.resolve("data-parallel.safetensors");
        Safetensors.write(new StateDict(wrapped), file, DType.F32);

        Path out = tmp.resolve("fine-tuned");
        // The seed (default 1) differs from the x2 run's (3), so fresh weights would not match the loaded ones.
        List<String> args = List.of("--scale", "2", "--data", data.toString(), "--out", out.toString(), "--blocks", "1",
                "--features", "8", "--patch", "8", "--batch", "2", "--iterations", "1", "--precision", "fp32",
                "--threads", "1", "--no-progress", "--init", file.toString());
        Trainer.run(config(args.toArray(String[]::new)));
        float[] before = trained.tensors().get("head.0.weight").toFloats();
        float[] after = Safetensors.read(out.resolve("checkpoints/step-00000001/model.safetensors")).tensors()
                .get("head.0.weight").toFloats();
        for (int i = 0; i < before.length; i++) {
            assertEquals(before[i], after[i], 2e-4);
        }
    }

    @Test
    void precisionAutoResolvesByTheInferenceRules() {
        TrainConfig config = config("--scale", "2", "--data", tmp.toString(), "--out", tmp.resolve("run").toString(),
                "--device", "cpu", "--precision", "auto");
        assertEquals(Precision.resolve("auto", ComputeDevice.parse("cpu")), config.precision());
    }

    private static List<LogEntry> readLog(Path out) throws IOException {
        try (Stream<String> lines = Files.lines(out.resolve("log.jsonl"))) {
            return lines.map(l -> {
                try {
                    return JSON.readValue(l, LogEntry.class);
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            }).toList();
        }
    }

    private static List<Double> trainLosses(Path out) throws IOException {
        return readLog(out).stream().filter(e -> e.type().equals("train")).map(LogEntry::loss).toList();
    }
}
