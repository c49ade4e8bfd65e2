package org.oisrstream.operators.infer;

import java.io.Serializable;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import org.oisrstream.model.image.Picture;
import org.oisrstream.model.image.RgbImage;
import org.oisrstream.model.image.Yuv420Image;
import org.oisrstream.model.image.YuvMatrix;
import org.oisrstream.model.infer.ImageUpscaler;
import org.oisrstream.model.infer.Upscalers;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One upscaler on one device, shared by every caller in the JVM that asks for the same {@link UpscalerSpec}.
 *
 * <p>A single worker thread owns the upscaler (and so the device: it is built, used and closed on that thread).
 * Callers submit frames from any thread; the worker takes whatever is queued, up to {@link Settings#maxBatch()}
 * frames, waiting at most {@link Settings#maxWait()} for a batch to fill (only if the upscaler batches such
 * frames), and runs them by size in passes of the upscaler's {@link ImageUpscaler#framesPerPass} (on a GPU the
 * whole batch; on the CPU one large frame at a time), handing each pass's frames back as soon as it is done.
 * Frames of concurrent chunks and streams thus share batches, the device never idles while frames wait, and a
 * chunk can encode its first frames while later ones run. The service holds only frames that callers submitted:
 * callers bound their own frames in flight.
 *
 * <p>Services live in a static registry, reference counted: {@link #acquire} returns a {@link Lease}; the
 * service is shut down when the last lease is closed. In a Flink TaskManager all operator instances (slots)
 * of a job thus share one model per device.
 */
public final class InferenceService {

    /** How frames are batched. */
    public record Settings(int maxBatch, Duration maxWait) implements Serializable {
        public Settings {
            if (maxBatch < 1) {
                throw new IllegalArgumentException("max batch must be >= 1, got " + maxBatch);
            }
            Objects.requireNonNull(maxWait, "maxWait");
            if (maxWait.isNegative()) {
                throw new IllegalArgumentException("max wait must be >= 0, got " + maxWait);
            }
        }

        public static Settings defaults() {
            return new Settings(8, Duration.ofMillis(5));
        }
    }

    /**
     * Counters since the service started.
     *
     * @param busyNanos        time spent inside the upscaler's passes
     * @param firstFrameAtNanos {@link System#nanoTime()} when the first frame arrived (0 before any)
     * @param lastPassAtNanos   {@link System#nanoTime()} when the latest pass ended (0 before any)
     */
    public record Stats(long batches, long frames, int largestBatch, long busyNanos, long firstFrameAtNanos,
                        long lastPassAtNanos) {

        /** Time from the first frame's arrival to the end of the latest pass (0 before the first pass). */
        public long spanNanos() {
            return firstFrameAtNanos == 0 || lastPassAtNanos == 0 ? 0 : lastPassAtNanos - firstFrameAtNanos;
        }

        public double meanBatch() {
            return batches == 0 ? 0 : (double) frames / batches;
        }

        /** Share of the span the model was running: below 1 means it waited for frames (or for the codecs). */
        public double busyShare() {
            long span = spanNanos();
            return span == 0 ? 0 : (double) busyNanos / span;
        }
    }

    /** A caller's hold on a shared service; closing it releases the hold (once). */
    public static final class Lease implements AutoCloseable {
        private final InferenceService service;
        private final AtomicBoolean released = new AtomicBoolean();

        private Lease(InferenceService service) {
            this.service = service;
        }

        public InferenceService service() {
            return service;
        }

        @Override
        public void close() {
            if (released.compareAndSet(false, true)) {
                release(service);
            }
        }
    }

    private static final Logger LOG = LoggerFactory.getLogger(InferenceService.class);
    private static final Map<UpscalerSpec, InferenceService> REGISTRY = new HashMap<>();

    private final UpscalerSpec spec;
    private final Settings settings;
    private final BlockingQueue<Request> queue = new LinkedBlockingQueue<>();
    private final Thread worker;
    private final CompletableFuture<Integer> ready = new CompletableFuture<>();
    private final AtomicLong batches = new AtomicLong();
    private final AtomicLong frames = new AtomicLong();
    private volatile int largestBatch;
    private final AtomicLong busyNanos = new AtomicLong();
    private final AtomicLong firstArrivalNanos = new AtomicLong();
    private final AtomicLong lastPassEndNanos = new AtomicLong();
    private volatile boolean stopping;
    private int references;
    private int scale;
    private volatile boolean yuv420;
    /** Set by the worker once built; other threads only {@link #recycle} through it. */
    private volatile ImageUpscaler upscaler;
    /** A warm-up the worker took from the queue while gathering a batch; it runs on its own next (worker only). */
    private Request carried;

    /**
     * A frame to upscale to RGB, or to Y'CbCr 4:2:0 in {@code yuv} if that is not null; with {@code warmUp} a blank
     * one that only prepares the upscaler for its size.
     */
    private record Request(RgbImage frame, YuvMatrix yuv, CompletableFuture<Picture> result, long queuedAtNanos,
                           boolean warmUp) {
    }

    /** Queued by {@link #shutdown()} so that the worker, blocked on an empty queue, wakes up and sees it stop. */
    private static final Request WAKE_UP = new Request(null, null, null, 0, false);

    private final List<InferenceObserver> observers = new java.util.concurrent.CopyOnWriteArrayList<>();

    /** Adds an observer of the batches this service runs (e.g. an operator's metrics); remove it when done. */
    public void addObserver(InferenceObserver observer) {
        observers.add(Objects.requireNonNull(observer, "observer"));
    }

    public void removeObserver(InferenceObserver observer) {
        observers.remove(observer);
    }

    private InferenceService(UpscalerSpec spec, Settings settings, Function<UpscalerSpec, ImageUpscaler> factory) {
        this.spec = spec;
        this.settings = settings;
        this.worker = new Thread(() -> run(factory), "oisr-inference-" + spec.model() + "-" + spec.device());
        this.worker.setDaemon(true);
    }

    /**
     * Leases the service for {@code spec} with the upscalers from {@link Upscalers}, a network's forward
     * pass taking up to {@link Settings#maxBatch()} frames.
     */
    public static Lease acquire(UpscalerSpec spec, Settings settings) {
        return acquire(spec, settings, s -> Upscalers.create(s.request(settings.maxBatch())));
    }

    /**
     * Leases the shared service for {@code spec}, starting it (and building its upscaler with {@code factory} on
     * the worker thread) if no one holds it. The first caller's settings apply while the service lives. Throws if
     * the upscaler cannot be built.
     */
    public static Lease acquire(UpscalerSpec spec, Settings settings,
                                Function<UpscalerSpec, ImageUpscaler> factory) {
        InferenceService service;
        synchronized (REGISTRY) {
            service = REGISTRY.get(spec);
            if (service == null) {
                service = new InferenceService(spec, settings, factory);
                REGISTRY.put(spec, service);
                service.worker.start();
            }
            service.references++;
        }
        try {
            service.scale = service.ready.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            release(service);
            throw new IllegalStateException("interrupted while loading " + spec, e);
        } catch (ExecutionException e) {
            release(service);
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException re) {
                throw re;
            }
            throw new IllegalStateException("cannot load " + spec + ": " + cause.getMessage(), cause);
        }
        return new Lease(service);
    }

    /** How many services are running in this JVM (for tests and metrics). */
    public static int runningServices() {
        synchronized (REGISTRY) {
            return REGISTRY.size();
        }
    }

    private static void release(InferenceService service) {
        synchronized (REGISTRY) {
            if (--service.references > 0) {
                return;
            }
            REGISTRY.remove(service.spec, service);
        }
        service.shutdown();
    }

    public UpscalerSpec spec() {
        return spec;
    }

    public int scale() {
        return scale;
    }

    public Stats stats() {
        return new Stats(batches.get(), frames.get(), largestBatch, busyNanos.get(), firstArrivalNanos.get(),
                lastPassEndNanos.get());
    }

    /** Upscales one frame; the future completes on the worker thread. */
    public CompletableFuture<RgbImage> submit(RgbImage frame) {
        Objects.requireNonNull(frame, "frame");
        return enqueue(frame, null, false).thenApply(RgbImage.class::cast);
    }

    /** Whether {@link #submitYuv420} works: the upscaler gives Y'CbCr 4:2:0 itself. */
    public boolean upscalesToYuv420() {
        return yuv420;
    }

    /**
     * Upscales one frame straight to 8-bit Y'CbCr 4:2:0 in {@code matrix} (only where {@link #upscalesToYuv420()});
     * the future completes on the worker thread.
     */
    public CompletableFuture<Yuv420Image> submitYuv420(RgbImage frame, YuvMatrix matrix) {
        Objects.requireNonNull(frame, "frame");
        Objects.requireNonNull(matrix, "matrix");
        if (!yuv420) {
            throw new UnsupportedOperationException(spec + " gives RGB only");
        }
        return enqueue(frame, matrix, false).thenApply(Yuv420Image.class::cast);
    }

    /**
     * Prepares the upscaler for frames of this size before any arrive: one pass on a blank frame (to Y'CbCr 4:2:0
     * where the upscaler gives it, as encoders of yuv420p take it), in a batch of its own and left out of
     * {@link #stats()} and the observers. A network's first pass at a new size sets up its
     * kernels (oneDNN primitives for that shape) and took three normal passes on the README sample; a live run
     * prepares while its first chunk is on its way, so that chunk does not pay for it. A size no image can have
     * fails the future, as the frames of that size would fail.
     */
    public CompletableFuture<Void> prepare(int width, int height) {
        RgbImage blank;
        try {
            blank = RgbImage.blank(width, height);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(new IllegalArgumentException(
                    "cannot prepare for " + width + "x" + height + " frames: " + e.getMessage(), e));
        }
        return enqueue(blank, yuv420 ? YuvMatrix.BT709 : null, true).thenApply(ignored -> null);
    }

    private CompletableFuture<Picture> enqueue(RgbImage frame, YuvMatrix yuv, boolean warmUp) {
        CompletableFuture<Picture> result = new CompletableFuture<>();
        if (stopping) {
            result.completeExceptionally(new CancellationException("inference service for " + spec + " is shut down"));
            return result;
        }
        queue.add(new Request(frame, yuv, result, System.nanoTime(), warmUp));
        return result;
    }

    /** Upscales frames (they may end up in different batches); the list keeps their order. */
    public CompletableFuture<List<RgbImage>> submitAll(List<RgbImage> inputs) {
        List<CompletableFuture<RgbImage>> parts = new ArrayList<>(inputs.size());
        for (RgbImage frame : inputs) {
            parts.add(submit(frame));
        }
        return joinAll(parts);
    }

    /** {@link #submitYuv420} for each frame; the list keeps their order. */
    public CompletableFuture<List<Yuv420Image>> submitAllYuv420(List<RgbImage> inputs, YuvMatrix matrix) {
        List<CompletableFuture<Yuv420Image>> parts = new ArrayList<>(inputs.size());
        for (RgbImage frame : inputs) {
            parts.add(submitYuv420(frame, matrix));
        }
        return joinAll(parts);
    }

    /**
     * Hands back a frame this service returned once its caller is done with it (e.g. encoded), so the next passes
     * may fill its arrays again ({@link ImageUpscaler#recycle}); any thread.
     */
    public void recycle(Picture frame) {
        ImageUpscaler current = upscaler;
        if (current != null) {
            current.recycle(frame);
        }
    }

    private static <T> CompletableFuture<List<T>> joinAll(List<CompletableFuture<T>> parts) {
        return CompletableFuture.allOf(parts.toArray(CompletableFuture[]::new)).thenApply(ignored -> {
            List<T> out = new ArrayList<>(parts.size());
            for (CompletableFuture<T> part : parts) {
                out.add(part.join());
            }
            return out;
        });
    }

    private void run(Function<UpscalerSpec, ImageUpscaler> factory) {
        ImageUpscaler upscaler;
        try {
            upscaler = Objects.requireNonNull(factory.apply(spec), "upscaler factory returned null");
            yuv420 = upscaler.upscalesToYuv420();
            this.upscaler = upscaler;
            ready.complete(upscaler.scale());
        } catch (Throwable t) {
            ready.completeExceptionally(t);
            return;
        }
        LOG.info("inference service started: {} (batch <= {}, wait <= {} ms)", upscaler.describe(),
                settings.maxBatch(), settings.maxWait().toMillis());
        try {
            while (!stopping) {
                List<Request> batch = nextBatch(upscaler);
                if (batch.size() == 1 && batch.get(0).warmUp) {
                    runWarmUp(upscaler, batch.get(0));
                } else if (!batch.isEmpty()) {
                    runBatches(upscaler, batch);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            failPending();
            try {
                upscaler.close();
            } catch (Exception e) {
                LOG.warn("closing {} failed: {}", upscaler.describe(), e.toString());
            }
            Stats s = stats();
            LOG.info("inference service stopped: {} ({} frames in {} batches, mean batch {}; busy {} s of the {} s"
                            + " from the first frame to the last pass, {} %)", upscaler.describe(), s.frames(),
                    s.batches(), String.format("%.2f", s.meanBatch()), String.format("%.1f", s.busyNanos() / 1e9),
                    String.format("%.1f", s.spanNanos() / 1e9), String.format("%.1f", 100 * s.busyShare()));
        }
    }

    /**
     * Blocks for the first frame, then gathers more until the batch is full or max wait has passed; frames that
     * the upscaler would not batch anyway (large frames on the CPU) run at once. The wait for the first frame has
     * no timeout: an idle worker that woke up every so often would preempt other threads for nothing (on a small
     * machine, the model's own); {@link #shutdown()} wakes it. A warm-up is a batch of its own.
     */
    private List<Request> nextBatch(ImageUpscaler upscaler) throws InterruptedException {
        List<Request> batch = new ArrayList<>(settings.maxBatch());
        Request first = carried != null ? carried : queue.take();
        carried = null;
        if (first == WAKE_UP) {
            return batch;
        }
        batch.add(first);
        if (first.warmUp) {
            return batch;
        }
        int limit = Math.min(settings.maxBatch(),
                upscaler.framesPerPass(settings.maxBatch(), first.frame.width(), first.frame.height()));
        long deadline = System.nanoTime() + settings.maxWait().toNanos();
        while (batch.size() < limit) {
            long left = deadline - System.nanoTime();
            Request next = queue.poll();
            if (next == null && left > 0) {
                next = queue.poll(left, TimeUnit.NANOSECONDS);
            }
            if (next == null || next == WAKE_UP) {
                break;
            }
            if (next.warmUp) {
                carried = next;
                break;
            }
            batch.add(next);
        }
        return batch;
    }

    /**
     * Runs the gathered frames by size and output (a network batch needs one size, and gives one layout), in passes
     * of the upscaler's {@link ImageUpscaler#framesPerPass} frames; each pass's callers get their frames as soon as
     * it is done.
     */
    private void runBatches(ImageUpscaler upscaler, List<Request> gathered) {
        Map<List<Object>, List<Request>> bySize = new LinkedHashMap<>();
        for (Request r : gathered) {
            List<Object> key = Arrays.asList(r.frame.width(), r.frame.height(), r.yuv);
            bySize.computeIfAbsent(key, k -> new ArrayList<>()).add(r);
        }
        for (List<Request> sameSize : bySize.values()) {
            int done = 0;
            while (done < sameSize.size()) {
                RgbImage first = sameSize.get(done).frame;
                int pass = Math.max(1, Math.min(sameSize.size() - done,
                        upscaler.framesPerPass(sameSize.size() - done, first.width(), first.height())));
                runPass(upscaler, sameSize.subList(done, done + pass));
                done += pass;
            }
        }
    }

    private void runPass(ImageUpscaler upscaler, List<Request> group) {
        List<RgbImage> inputs = new ArrayList<>(group.size());
        for (Request r : group) {
            inputs.add(r.frame);
        }
        try {
            long called = System.nanoTime();
            YuvMatrix yuv = group.get(0).yuv;
            List<? extends Picture> outputs = yuv == null ? upscaler.upscale(inputs)
                    : upscaler.upscaleYuv420(inputs, yuv);
            long ended = System.nanoTime();
            long took = ended - called;
            busyNanos.addAndGet(took);
            firstArrivalNanos.compareAndSet(0, group.get(0).queuedAtNanos);
            lastPassEndNanos.set(ended);
            for (InferenceObserver o : observers) {
                o.batch(group.size(), called - group.get(0).queuedAtNanos, took);
            }
            if (outputs.size() != inputs.size()) {
                throw new IllegalStateException(upscaler.describe() + " returned " + outputs.size()
                        + " images for " + inputs.size());
            }
            batches.incrementAndGet();
            frames.addAndGet(group.size());
            if (group.size() > largestBatch) {
                largestBatch = group.size();
            }
            for (int i = 0; i < group.size(); i++) {
                group.get(i).result.complete(outputs.get(i));
            }
        } catch (Throwable t) {
            fail(group, t);
        }
    }

    /** Fails the requests' futures; an Error other than running out of memory then stops the worker too. */
    private static void fail(List<Request> requests, Throwable t) {
        for (Request r : requests) {
            r.result.completeExceptionally(t);
        }
        if (t instanceof Error e && !(t instanceof OutOfMemoryError)) {
            throw e;
        }
    }

    private void runWarmUp(ImageUpscaler upscaler, Request warmUp) {
        try {
            long started = System.nanoTime();
            if (warmUp.yuv == null) {
                upscaler.upscale(List.of(warmUp.frame));
            } else {
                upscaler.upscaleYuv420(List.of(warmUp.frame), warmUp.yuv);
            }
            LOG.debug("prepared for {}x{} frames in {} ms", warmUp.frame.width(), warmUp.frame.height(),
                    (System.nanoTime() - started) / 1_000_000);
            warmUp.result.complete(null);
        } catch (Throwable t) {
            fail(List.of(warmUp), t);
        }
    }

    private void failPending() {
        List<Request> left = new ArrayList<>();
        if (carried != null) {
            left.add(carried);
            carried = null;
        }
        queue.drainTo(left);
        left.removeIf(r -> r == WAKE_UP);
        for (Request r : left) {
            r.result.completeExceptionally(new CancellationException("inference service for " + spec + " shut down"));
        }
    }

    private void shutdown() {
        stopping = true;
        queue.add(WAKE_UP);
        try {
            worker.join(TimeUnit.MINUTES.toMillis(1));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (worker.isAlive()) {
            LOG.warn("inference worker for {} did not stop within a minute", spec);
        }
        failPending();
    }
}
