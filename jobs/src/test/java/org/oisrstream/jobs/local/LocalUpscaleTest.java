package org.oisrstream.jobs.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.oisrstream.jobs.upscale.UpscaleJobParameters;
import org.oisrstream.operators.infer.InferenceService;
import org.oisrstream.operators.infer.UpscalerSpec;
import org.oisrstream.operators.media.TestClips;

/**
 * {@link LocalUpscale} loads the model while the broker and the MiniCluster start, and the job runs every frame
 * through that loaded model rather than loading its own.
 */
class LocalUpscaleTest {

    @TempDir
    Path dir;

    @Test
    void theJobRunsItsFramesThroughTheModelLoadedDuringStartUp() throws Exception {
        TestClips.Clip clip = TestClips.write(dir.resolve("clip.mkv"), TestClips.ClipSpec.of(64, 36, 24, 12));
        Path output = dir.resolve("out.mp4");
        List<Path> completed = new CopyOnWriteArrayList<>();
        LocalUpscale.Result result = LocalUpscale.run(new LocalUpscale.Request(clip.path(), output,
                UpscaleJobParameters.builder().upscaler(UpscalerSpec.of("bicubic", 2)), null, 1.0,
                Duration.ofMinutes(2)), new LocalUpscale.Listener() {
                    @Override
                    public void outputComplete(Path file) {
                        completed.add(file);
                    }
                });
        assertEquals(24, result.frames());
        assertEquals(List.of(output), completed, "the listener hears once that the file is complete");
        // The statistics are the preloaded service's: had the job loaded a model of its own, they would be empty.
        assertEquals(24, result.model().frames(), result.model().toString());
        assertTrue(result.model().busyNanos() > 0 && result.model().spanNanos() >= result.model().busyNanos(),
                result.model().toString());
        assertEquals(0, InferenceService.runningServices(), "the model is released with the run");
    }

    @Test
    void eachChunkIsCommittedAsSoonAsItIsWrittenNotAtTheNextPeriodicCheckpoint() throws Exception {
        TestClips.Clip clip = TestClips.write(dir.resolve("clip.mkv"), TestClips.ClipSpec.of(64, 36, 36, 12));
        Path output = dir.resolve("out.mp4");
        List<String> events = new CopyOnWriteArrayList<>();
        // No periodic checkpoint comes within the run: only the checkpoints asked for after each chunk commit it,
        // or the assembler gives up after a minute without a chunk.
        LiveSettings hourly = LiveSettings.defaults().withCheckpointInterval(Duration.ofHours(1));
        LocalUpscale.Result result = LocalUpscale.run(new LocalUpscale.Request(clip.path().toString(), output,
                UpscaleJobParameters.builder().upscaler(UpscalerSpec.of("bicubic", 2)), null, 1.0,
                Duration.ofMinutes(1), hourly), new LocalUpscale.Listener() {
                    @Override
                    public void ready() {
                        events.add("ready");
                    }

                    @Override
                    public void chunkUpscaled(org.oisrstream.operators.kafka.ChunkRecord chunk) {
                        events.add("chunk " + chunk.sequence());
                    }
                });
        assertEquals(36, result.frames());
        assertEquals(List.of("ready", "chunk 0", "chunk 1", "chunk 2"), events,
                "start-up ends before the first chunk, then every chunk arrives once");
    }

    @Test
    void aModelThatCannotLoadFailsTheRunWithItsReasonAndLeavesNoFile() throws Exception {
        TestClips.Clip clip = TestClips.write(dir.resolve("clip.mkv"), TestClips.ClipSpec.of(64, 36, 12, 12));
        Path weights = Files.writeString(dir.resolve("broken.safetensors"), "not a safetensors file",
                StandardCharsets.US_ASCII);
        Path output = dir.resolve("out.mp4");
        UpscalerSpec broken = new UpscalerSpec("lf-s", 2, weights.toString(), "cpu", "fp32", UpscalerSpec.AUTO_TILE);
        Exception e = assertThrows(Exception.class, () -> LocalUpscale.run(new LocalUpscale.Request(clip.path(),
                output, UpscaleJobParameters.builder().upscaler(broken), null, 1.0, Duration.ofMinutes(2)),
                new LocalUpscale.Listener() {
                }));
        assertTrue(e.getMessage().contains("broken.safetensors"), e.getMessage());
        assertFalse(Files.exists(output));
        assertEquals(0, InferenceService.runningServices());
    }
}
