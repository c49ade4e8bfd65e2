package org.oisrstream.operators.infer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Which threads {@link ThreadPriorities} lowers, read back from {@code /proc/self/task}. Lowering is one-way and
 * JVM-wide, so the test works with whatever value the JVM's first service chose (the default unless a test asked
 * for another).
 */
class ThreadPrioritiesTest {

    @Test
    void lowersOtherThreadsButNotTheModelsOrWhatTheyStart() throws Exception {
        assumeTrue(Files.isDirectory(Path.of("/proc/self/task")), "needs Linux's /proc/self/task");
        ThreadPriorities.lowerOthers(InferenceService.Settings.DEFAULT_OTHERS_NICE);
        int nice = ThreadPriorities.othersNice();
        assumeTrue(nice > 0, "libc not callable here");

        CountDownLatch done = new CountDownLatch(1);
        AtomicInteger modelTid = new AtomicInteger();
        AtomicInteger childNice = new AtomicInteger(-100);
        Thread model = new Thread(() -> {
            modelTid.set(ownTid());
            Thread child = new Thread(() -> childNice.set(niceOf(ownTid())), ThreadPriorities.MODEL_THREAD_PREFIX);
            child.start();
            try {
                child.join();
                done.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, ThreadPriorities.MODEL_THREAD_PREFIX + "-test");
        AtomicInteger otherTid = new AtomicInteger();
        Thread other = new Thread(() -> {
            otherTid.set(ownTid());
            try {
                done.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "prio-test-other");
        try {
            ThreadPriorities.startModelThread(model);
            other.start();
            // Started by a lowered thread it starts lowered; otherwise the next sweep lowers it.
            long deadline = System.nanoTime() + 4 * ThreadPriorities.SWEEP.toNanos();
            while ((otherTid.get() == 0 || niceOf(otherTid.get()) != nice) && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
            assertEquals(nice, niceOf(otherTid.get()), "an ordinary thread is lowered");
            assertEquals(0, niceOf(modelTid.get()), "a model thread keeps its priority");
            Thread.sleep(ThreadPriorities.SWEEP.toMillis() + 500);
            assertEquals(0, niceOf(modelTid.get()), "and keeps it through the next sweep");
        } finally {
            done.countDown();
            model.join();
            other.join();
        }
        assertEquals(0, childNice.get(), "threads a model thread starts (its intra-op threads) keep its priority");
    }

    @Test
    void startsOnlyThreadsNamedAsTheModels() {
        assertThrows(IllegalArgumentException.class, () -> ThreadPriorities.startModelThread(new Thread(() -> {
        }, "codec")));
    }

    /** The calling thread's kernel id, from {@code /proc/thread-self} ("pid/task/tid"). */
    private static int ownTid() {
        try {
            return Integer.parseInt(Files.readSymbolicLink(Path.of("/proc/thread-self")).getFileName().toString());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The nice value of this process's thread {@code tid}. */
    private static int niceOf(int tid) {
        try {
            String stat = Files.readString(Path.of("/proc/self/task", Integer.toString(tid), "stat"));
            // The fields after the name in parentheses start with the state (field 3); nice is field 19.
            return Integer.parseInt(stat.substring(stat.lastIndexOf(')') + 2).split(" ")[16]);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
