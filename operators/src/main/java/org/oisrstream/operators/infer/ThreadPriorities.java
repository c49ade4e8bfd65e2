package org.oisrstream.operators.infer;

import com.sun.jna.Library;
import com.sun.jna.Native;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Gives the model's threads the processors first: on Linux, every other thread of this JVM runs at a lower
 * scheduling priority (a higher nice value) while an inference service runs.
 *
 * <p>Why: a network's intra-op threads work in lock-step, so when a codec, Kafka or Flink thread wakes up on a
 * processor the model fills, the kernel preempts one of them at once and the others wait for it at the next
 * barrier: the model loses the other thread's whole run time on every core. At a lower priority a waking thread
 * no longer preempts a model thread on the spot; it runs when that thread's time slice ends or it blocks, and it
 * still gets its share (nice 10 weighs a tenth of nice 0 per runnable thread, so the codecs keep up). Measured in
 * {@code docs/benchmarks.md} (session 12).
 *
 * <p>The model's threads are the inference services' workers and the intra-op threads they start, which inherit
 * their name ({@link #MODEL_THREAD_PREFIX}). A thread inherits its creator's priority, so once the threads
 * present are lowered nearly every new one starts lowered; a sweep every few seconds catches the rest. An
 * unprivileged process cannot raise a priority again, so lowered threads stay lowered for the JVM's life; workers
 * are therefore started by a thread of their own name ({@link #startModelThread}), never by a lowered one.
 */
final class ThreadPriorities {

    /** Names of the threads left at their priority: inference workers and what they start. */
    static final String MODEL_THREAD_PREFIX = "oisr-inference";
    private static final Logger LOG = LoggerFactory.getLogger(ThreadPriorities.class);
    private static final Path TASKS = Path.of("/proc/self/task");
    /** How often threads are looked at again (new ones not started by a lowered thread). */
    static final Duration SWEEP = Duration.ofSeconds(5);
    private static final int PRIO_PROCESS = 0;

    private static Thread sweeper;
    private static int sweeperNice;
    private static ExecutorService starter;

    private ThreadPriorities() {
    }

    /** libc's {@code setpriority}: on Linux, with PRIO_PROCESS and a thread id, one thread's nice value. */
    private interface LibC extends Library {
        int setpriority(int which, int who, int prio);
    }

    /**
     * Starts lowering every thread but the model's to nice {@code nice} (1-19; 0 leaves all alone), once per
     * JVM: a later call with another value changes nothing. A no-op where threads cannot be told apart this
     * way (not Linux) or libc cannot be called.
     */
    static synchronized void lowerOthers(int nice) {
        if (nice == 0 || sweeper != null || !Files.isDirectory(TASKS)) {
            return;
        }
        starter(); // before anything is lowered: it starts the model's workers
        LibC libc;
        try {
            libc = Native.load("c", LibC.class);
        } catch (LinkageError e) {
            LOG.info("model threads keep no priority over others: libc not callable ({})", e.toString());
            return;
        }
        sweeperNice = nice;
        Set<Integer> lowered = new HashSet<>();
        sweep(libc, nice, lowered);
        sweeper = new Thread(() -> {
            try {
                while (true) {
                    Thread.sleep(SWEEP.toMillis());
                    sweep(libc, nice, lowered);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "oisr-priorities");
        sweeper.setDaemon(true);
        sweeper.start();
        LOG.info("threads other than the model's run at nice {} (the model's keep theirs)", nice);
    }

    /** The nice value other threads were lowered to, 0 if they were not. */
    static synchronized int othersNice() {
        return sweeper == null ? 0 : sweeperNice;
    }

    /**
     * Starts {@code worker}, a thread named as a model thread, from a thread that is never lowered: a thread started
     * by a lowered one would start lowered, and could not be raised again.
     */
    static void startModelThread(Thread worker) {
        if (!worker.getName().startsWith(MODEL_THREAD_PREFIX)) {
            throw new IllegalArgumentException("not a model thread's name: " + worker.getName());
        }
        try {
            starter().submit(worker::start).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while starting " + worker.getName(), e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("cannot start " + worker.getName(), e.getCause());
        }
    }

    private static synchronized ExecutorService starter() {
        if (starter == null) {
            ThreadPoolExecutor executor = new ThreadPoolExecutor(1, 1, 0, TimeUnit.SECONDS, new LinkedBlockingQueue<>(),
                    r -> {
                        Thread t = new Thread(r, MODEL_THREAD_PREFIX + "-starter");
                        t.setDaemon(true);
                        return t;
                    });
            executor.prestartCoreThread(); // now, by the calling thread, not later by a lowered one
            starter = executor;
        }
        return starter;
    }

    private static void sweep(LibC libc, int nice, Set<Integer> lowered) {
        try (DirectoryStream<Path> tasks = Files.newDirectoryStream(TASKS)) {
            for (Path task : tasks) {
                int tid;
                try {
                    tid = Integer.parseInt(task.getFileName().toString());
                } catch (NumberFormatException e) {
                    continue;
                }
                if (lowered.contains(tid)) {
                    continue;
                }
                String name;
                try {
                    name = Files.readString(task.resolve("comm")).strip();
                } catch (IOException e) {
                    continue; // ended meanwhile
                }
                if (name.startsWith(MODEL_THREAD_PREFIX)) {
                    continue;
                }
                // Fails only for a thread that has just ended (or a value this process may not set): nothing to do.
                libc.setpriority(PRIO_PROCESS, tid, nice);
                lowered.add(tid);
            }
        } catch (IOException e) {
            LOG.debug("cannot list this process's threads: {}", e.toString());
        }
    }
}
