package org.oisrstream.operators.infer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.oisrstream.model.image.Picture;
import org.oisrstream.model.image.RgbImage;
import org.oisrstream.model.infer.ImageUpscaler;
import org.oisrstream.model.infer.NearestNeighbourUpscaler;

class InferenceServiceTest {

    private static RgbImage randomImage(Random rnd, int w, int h) {
        byte[] px = new byte[w * h * 3];
        rnd.nextBytes(px);
        return new RgbImage(w, h, px);
    }

    /** Nearest-neighbour x2 that takes {@code millis} per batch. */
    private static ImageUpscaler nearestTaking(long millis) {
        return wrap(images -> {
            try {
                Thread.sleep(millis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return new NearestNeighbourUpscaler(2).upscale(images);
        });
    }

    /** An x2 upscaler whose batches run through {@code body}; it takes every waiting frame, or one per pass. */
    private record TestUpscaler(String describe, boolean oneFramePerPass, UnaryOperator<List<RgbImage>> body)
            implements ImageUpscaler {
        @Override
        public int scale() {
            return 2;
        }

        @Override
        public int framesPerPass(int waiting, int width, int height) {
            return oneFramePerPass ? 1 : waiting;
        }

        @Override
        public List<RgbImage> upscale(List<RgbImage> images) {
            return body.apply(images);
        }
    }

    /** Holds a test upscaler's pass until {@code latch} opens (at most 10 s, else the pass fails). */
    private static void awaitInPass(CountDownLatch latch, String failure) {
        try {
            assertTrue(latch.await(10, TimeUnit.SECONDS), failure);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static ImageUpscaler wrap(UnaryOperator<List<RgbImage>> body) {
        return new TestUpscaler("test x2", false, body);
    }

    private static ImageUpscaler oneFramePerPass(UnaryOperator<List<RgbImage>> body) {
        return new TestUpscaler("one frame per pass", true, body);
    }

    @Test
    void nearestNeighbourReplicatesPixels() {
        RgbImage in = randomImage(new Random(3), 5, 3);
        RgbImage out = new NearestNeighbourUpscaler(3).upscale(in);
        assertEquals(15, out.width());
        assertEquals(9, out.height());
        for (int y = 0; y < 9; y++) {
            for (int x = 0; x < 15; x++) {
                for (int c = 0; c < 3; c++) {
                    assertEquals(in.get(x / 3, y / 3, c), out.get(x, y, c));
                }
            }
        }
    }

    @Test
    void sameSpecSharesOneServiceAndLastLeaseStopsIt() {
        UpscalerSpec spec = UpscalerSpec.of("nearest", 2);
        AtomicInteger built = new AtomicInteger();
        try (var a = InferenceService.acquire(spec, InferenceService.Settings.defaults(), s -> {
            built.incrementAndGet();
            return new NearestNeighbourUpscaler(s.scale());
        }); var b = InferenceService.acquire(spec, InferenceService.Settings.defaults(), s -> {
            built.incrementAndGet();
            return new NearestNeighbourUpscaler(s.scale());
        })) {
            assertSame(a.service(), b.service());
            assertEquals(2, a.service().scale());
            a.close();
            a.close(); // a second close must not release b's hold
            RgbImage in = randomImage(new Random(1), 7, 5);
            assertEquals(new NearestNeighbourUpscaler(2).upscale(in), b.service().submit(in).join());
        }
        assertEquals(1, built.get());
        assertEquals(0, InferenceService.runningServices());
    }

    @Test
    void framesFromConcurrentCallersShareBatchesAndKeepTheirOrder() throws Exception {
        UpscalerSpec spec = UpscalerSpec.of("nearest", 2);
        // An upscaler slow enough that frames pile up while a batch runs.
        ImageUpscaler slow = nearestTaking(20);
        var settings = new InferenceService.Settings(6, Duration.ofMillis(50));
        try (var lease = InferenceService.acquire(spec, settings, s -> slow)) {
            int callers = 4;
            int perCaller = 12;
            CountDownLatch start = new CountDownLatch(1);
            List<CompletableFuture<Boolean>> results = new ArrayList<>();
            for (int c = 0; c < callers; c++) {
                int seed = c;
                results.add(CompletableFuture.supplyAsync(() -> {
                    Random rnd = new Random(seed);
                    List<RgbImage> in = new ArrayList<>();
                    for (int i = 0; i < perCaller; i++) {
                        in.add(randomImage(rnd, 6 + seed, 4)); // one frame size per caller
                    }
                    try {
                        start.await();
                    } catch (InterruptedException e) {
                        throw new IllegalStateException(e);
                    }
                    List<RgbImage> out = lease.service().submitAll(in).join();
                    return out.equals(new NearestNeighbourUpscaler(2).upscale(in));
                }));
            }
            start.countDown();
            for (CompletableFuture<Boolean> r : results) {
                assertTrue(r.get(30, TimeUnit.SECONDS), "each caller gets its own frames back in order");
            }
            InferenceService.Stats stats = lease.service().stats();
            assertEquals(callers * perCaller, stats.frames());
            assertTrue(stats.largestBatch() > 1, "frames were batched: " + stats);
            assertTrue(stats.largestBatch() <= 6, "batches respect the maximum: " + stats);
        }
    }

    @Test
    void framesHandedBackReachTheUpscaler() throws Exception {
        List<Picture> recycled = new java.util.concurrent.CopyOnWriteArrayList<>();
        ImageUpscaler recycling = new ImageUpscaler() {
            @Override
            public int scale() {
                return 2;
            }

            @Override
            public String describe() {
                return "recycling nearest x2";
            }

            @Override
            public List<RgbImage> upscale(List<RgbImage> images) {
                return new NearestNeighbourUpscaler(2).upscale(images);
            }

            @Override
            public void recycle(Picture picture) {
                recycled.add(picture);
            }
        };
        try (var lease = InferenceService.acquire(UpscalerSpec.of("nearest", 2), InferenceService.Settings.defaults(),
                s -> recycling)) {
            RgbImage out = lease.service().submit(randomImage(new Random(4), 4, 4)).get(10, TimeUnit.SECONDS);
            lease.service().recycle(out);
            assertEquals(1, recycled.size());
            assertSame(out, recycled.get(0));
        }
    }

    @Test
    void busyShareCountsOnlyTheTimeInsideTheUpscaler() throws Exception {
        UpscalerSpec spec = UpscalerSpec.of("nearest", 2);
        ImageUpscaler working = nearestTaking(20);
        try (var lease = InferenceService.acquire(spec, new InferenceService.Settings(1, Duration.ZERO), s -> working)) {
            assertEquals(0, lease.service().stats().busyShare(), "nothing ran yet");
            Random rnd = new Random(3);
            int frames = 4;
            for (int i = 0; i < frames; i++) {
                lease.service().submit(randomImage(rnd, 4, 4)).get(10, TimeUnit.SECONDS);
                Thread.sleep(200); // the service idles between frames
            }
            InferenceService.Stats stats = lease.service().stats();
            assertTrue(stats.busyNanos() >= frames * 20_000_000L, "every pass counted: " + stats);
            assertTrue(stats.spanNanos() >= stats.busyNanos(), "busy within the span: " + stats);
            assertTrue(stats.busyShare() > 0 && stats.busyShare() < 0.75,
                    "the idle gaps between frames are not busy time: " + stats);
        }
    }

    @Test
    void framesComeBackPassByPassWhenTheUpscalerRunsThemOneAtATime() throws Exception {
        CountDownLatch firstHandedBack = new CountDownLatch(1);
        List<Integer> passSizes = new java.util.concurrent.CopyOnWriteArrayList<>();
        ImageUpscaler oneAtATime = oneFramePerPass(images -> {
            passSizes.add(images.size());
            if (passSizes.size() == 2) {
                // The second pass starts only once the first frame's caller has it: no waiting for the batch.
                awaitInPass(firstHandedBack, "first frame not handed back");
            }
            return new NearestNeighbourUpscaler(2).upscale(images);
        });
        var settings = new InferenceService.Settings(4, Duration.ofMillis(200));
        try (var lease = InferenceService.acquire(UpscalerSpec.of("nearest", 2), settings, s -> oneAtATime)) {
            Random rnd = new Random(5);
            List<RgbImage> in = List.of(randomImage(rnd, 6, 4), randomImage(rnd, 6, 4), randomImage(rnd, 6, 4));
            List<CompletableFuture<RgbImage>> out = in.stream().map(f -> lease.service().submit(f)).toList();
            out.get(0).thenRun(firstHandedBack::countDown);
            for (int i = 0; i < in.size(); i++) {
                assertEquals(new NearestNeighbourUpscaler(2).upscale(in.get(i)), out.get(i).get(30, TimeUnit.SECONDS));
            }
            assertEquals(List.of(1, 1, 1), passSizes);
        }
    }

    @Test
    void aFrameTheUpscalerWouldNotBatchIsNotHeldForABatch() throws Exception {
        ImageUpscaler nearest = new NearestNeighbourUpscaler(2);
        ImageUpscaler oneAtATime = oneFramePerPass(nearest::upscale);
        // Gathering a batch would hold this lone frame for an hour.
        var settings = new InferenceService.Settings(8, Duration.ofHours(1));
        try (var lease = InferenceService.acquire(UpscalerSpec.of("nearest", 2), settings, s -> oneAtATime)) {
            RgbImage in = randomImage(new Random(3), 6, 4);
            assertEquals(nearest.upscale(in), lease.service().submit(in).get(30, TimeUnit.SECONDS));
        }
    }

    @Test
    void aWarmUpRunsOneBlankFrameOfTheSizeAndIsNotCountedAsWork() throws Exception {
        List<List<RgbImage>> passes = new java.util.concurrent.CopyOnWriteArrayList<>();
        ImageUpscaler recording = wrap(images -> {
            passes.add(images);
            return new NearestNeighbourUpscaler(2).upscale(images);
        });
        AtomicInteger observed = new AtomicInteger();
        try (var lease = InferenceService.acquire(UpscalerSpec.of("nearest", 2), InferenceService.Settings.defaults(),
                s -> recording)) {
            lease.service().addObserver((frames, waited, took) -> observed.addAndGet(frames));
            lease.service().prepare(7, 5).get(30, TimeUnit.SECONDS);
            assertEquals(List.of(List.of(RgbImage.blank(7, 5))), passes);
            InferenceService.Stats stats = lease.service().stats();
            assertEquals(0, stats.frames(), "a warm-up is not a frame: " + stats);
            assertEquals(0, stats.busyNanos(), "nor busy time: " + stats);
            assertEquals(0, stats.firstFrameAtNanos(), "nor the first frame: " + stats);
            assertEquals(0, observed.get(), "observers hear only of frames");
        }
    }

    @Test
    void aWarmUpForASizeNoImageCanHaveFailsItsFutureAndNothingElse() throws Exception {
        try (var lease = InferenceService.acquire(UpscalerSpec.of("nearest", 2), InferenceService.Settings.defaults(),
                s -> new NearestNeighbourUpscaler(2))) {
            CompletableFuture<Void> hostile = lease.service().prepare(100_000, 100_000);
            ExecutionException e = assertThrows(ExecutionException.class, () -> hostile.get(30, TimeUnit.SECONDS));
            assertTrue(e.getCause().getMessage().contains("100000x100000"), e.getCause().getMessage());
            RgbImage in = randomImage(new Random(4), 6, 4);
            assertEquals(new NearestNeighbourUpscaler(2).upscale(in), lease.service().submit(in).get(30, TimeUnit.SECONDS));
        }
    }

    @Test
    void aWarmUpQueuedWhileABatchGathersRunsOnItsOwn() throws Exception {
        CountDownLatch firstPassRunning = new CountDownLatch(1);
        CountDownLatch queued = new CountDownLatch(1);
        List<Integer> passSizes = new java.util.concurrent.CopyOnWriteArrayList<>();
        ImageUpscaler batching = wrap(images -> {
            passSizes.add(images.size());
            if (passSizes.size() == 1) {
                firstPassRunning.countDown();
                awaitInPass(queued, "frames not queued");
            }
            return new NearestNeighbourUpscaler(2).upscale(images);
        });
        var settings = new InferenceService.Settings(8, Duration.ofMillis(200));
        try (var lease = InferenceService.acquire(UpscalerSpec.of("nearest", 2), settings, s -> batching)) {
            InferenceService service = lease.service();
            Random rnd = new Random(9);
            CompletableFuture<RgbImage> first = service.submit(randomImage(rnd, 6, 4));
            assertTrue(firstPassRunning.await(10, TimeUnit.SECONDS), "first pass did not start");
            // While the first pass runs: two frames, a warm-up of their size, two more frames.
            List<CompletableFuture<RgbImage>> frames = new ArrayList<>();
            frames.add(service.submit(randomImage(rnd, 6, 4)));
            frames.add(service.submit(randomImage(rnd, 6, 4)));
            CompletableFuture<Void> warmUp = service.prepare(6, 4);
            frames.add(service.submit(randomImage(rnd, 6, 4)));
            frames.add(service.submit(randomImage(rnd, 6, 4)));
            queued.countDown();
            first.get(30, TimeUnit.SECONDS);
            for (CompletableFuture<RgbImage> f : frames) {
                f.get(30, TimeUnit.SECONDS);
            }
            warmUp.get(30, TimeUnit.SECONDS);
            assertEquals(List.of(1, 2, 1, 2), passSizes, "the warm-up is a pass of its own between the batches");
            assertEquals(5, service.stats().frames());
        }
    }

    @Test
    void anIdleServiceStopsAsSoonAsItsLastLeaseIsReleased() throws Exception {
        AtomicReference<Thread> worker = new AtomicReference<>();
        var lease = InferenceService.acquire(UpscalerSpec.of("nearest", 2), InferenceService.Settings.defaults(), s -> {
            worker.set(Thread.currentThread());
            return new NearestNeighbourUpscaler(2);
        });
        lease.close();
        // The worker blocks on its queue without a timeout; the release must wake it rather than leave it running.
        assertTrue(!worker.get().isAlive(), "worker still running after the last lease was released");
    }

    @Test
    void upscalerErrorsFailOnlyTheirFramesAndTheServiceGoesOn() throws Exception {
        AtomicReference<Boolean> failNext = new AtomicReference<>(true);
        ImageUpscaler flaky = wrap(images -> {
            if (failNext.getAndSet(false)) {
                throw new IllegalStateException("device lost");
            }
            return new NearestNeighbourUpscaler(2).upscale(images);
        });
        try (var lease = InferenceService.acquire(UpscalerSpec.of("nearest", 2),
                new InferenceService.Settings(1, Duration.ZERO), s -> flaky)) {
            RgbImage in = randomImage(new Random(2), 4, 4);
            ExecutionException e = assertThrows(ExecutionException.class,
                    () -> lease.service().submit(in).get(10, TimeUnit.SECONDS));
            assertEquals("device lost", e.getCause().getMessage());
            assertEquals(new NearestNeighbourUpscaler(2).upscale(in), lease.service().submit(in).get(10, TimeUnit.SECONDS));
        }
    }

    @Test
    void anUpscalerThatCannotBeBuiltFailsTheAcquireAndLeavesNothingRunning() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> InferenceService.acquire(UpscalerSpec.of("no-such-model", 2), InferenceService.Settings.defaults()));
        assertTrue(e.getMessage().contains("unknown model 'no-such-model'"), e.getMessage());
        assertEquals(0, InferenceService.runningServices());
    }
}
