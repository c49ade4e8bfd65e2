package org.oisrstream.operators.upscale;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.oisrstream.model.image.RgbImage;
import org.oisrstream.model.infer.ImageUpscaler;
import org.oisrstream.operators.infer.InferenceService;
import org.oisrstream.model.infer.NearestNeighbourUpscaler;
import org.oisrstream.operators.infer.UpscalerSpec;

class FrameUpscalerTest {

    @Test
    void framesInFlightNeverExceedTheBudgetWhateverTheCallersAsk() throws Exception {
        NearestNeighbourUpscaler nearest = new NearestNeighbourUpscaler(2);
        ImageUpscaler slow = new ImageUpscaler() {
            @Override
            public int scale() {
                return 2;
            }

            @Override
            public String describe() {
                return "slow nearest x2";
            }

            @Override
            public List<RgbImage> upscale(List<RgbImage> images) {
                try {
                    Thread.sleep(5);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return nearest.upscale(images);
            }
        };
        int budget = 5;
        // The service would take batches of 16; the budget allows 5 frames in flight at once.
        try (var lease = InferenceService.acquire(UpscalerSpec.of("nearest", 2),
                new InferenceService.Settings(16, Duration.ofMillis(20)), s -> slow)) {
            FrameUpscaler frames = new FrameUpscaler(lease.service(), new Semaphore(budget, true), budget);
            List<CompletableFuture<Boolean>> callers = new ArrayList<>();
            for (int c = 0; c < 4; c++) {
                int size = 3 + c;
                callers.add(CompletableFuture.supplyAsync(() -> {
                    boolean ok = true;
                    for (int round = 0; round < 6; round++) {
                        List<RgbImage> batch = new ArrayList<>();
                        for (int i = 0; i < 1 + (round + size) % 7; i++) { // up to 7 frames, more than the budget
                            batch.add(RgbImage.blank(size, 4));
                        }
                        try {
                            List<RgbImage> out = frames.upscale(batch);
                            ok &= out.size() == batch.size() && out.get(0).width() == 2 * size;
                        } catch (InterruptedException e) {
                            throw new IllegalStateException(e);
                        }
                    }
                    return ok;
                }));
            }
            for (CompletableFuture<Boolean> c : callers) {
                assertTrue(c.get(60, TimeUnit.SECONDS));
            }
            InferenceService.Stats stats = lease.service().stats();
            assertTrue(stats.largestBatch() <= budget, "the model never saw more frames than the budget: " + stats);
            assertTrue(stats.largestBatch() > 1, "frames of concurrent callers were still batched: " + stats);
            assertEquals(budget, frames.maxFramesPerCall());
        }
    }
}
