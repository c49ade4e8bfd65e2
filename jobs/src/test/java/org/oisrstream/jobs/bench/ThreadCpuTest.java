package org.oisrstream.jobs.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;
import org.oisrstream.jobs.bench.ThreadCpu.Group;

class ThreadCpuTest {

    @Test
    void threadsAreGroupedByWhatTheirNamesSayTheyDo() {
        assertEquals(Group.MODEL, ThreadCpu.groupOf("oisr-inference-"));
        assertEquals(Group.CODECS, ThreadCpu.groupOf("oisr-chunk-0-1"));
        assertEquals(Group.JIT, ThreadCpu.groupOf("C1 CompilerThre"));
        assertEquals(Group.GC, ThreadCpu.groupOf("G1 Conc#0"));
        assertEquals(Group.GC, ThreadCpu.groupOf("GC Thread#1"));
        assertEquals(Group.KAFKA, ThreadCpu.groupOf("data-plane-kafk"));
        assertEquals(Group.KAFKA, ThreadCpu.groupOf("ExpirationReape"));
        assertEquals(Group.KAFKA, ThreadCpu.groupOf("metrics-meter-t"));
        assertEquals(Group.FLINK, ThreadCpu.groupOf("flink-pekko.act"));
        assertEquals(Group.FLINK, ThreadCpu.groupOf("Source Data Fet"));
        assertEquals(Group.OTHER, ThreadCpu.groupOf("java"));
    }

    @Test
    void countsTheCpuAThreadUsedBetweenTwoSnapshotsInItsGroup() throws Exception {
        assumeTrue(Files.isDirectory(Path.of("/proc/self/task")), "needs Linux's /proc");
        ThreadCpu.Snapshot before = ThreadCpu.snapshot();
        CountDownLatch burnt = new CountDownLatch(1);
        CountDownLatch measured = new CountDownLatch(1);
        Thread codec = new Thread(() -> {
            long end = System.nanoTime() + 400_000_000L;
            double x = 1;
            while (System.nanoTime() < end) {
                x = x * 1.0000001 + 1e-9;
            }
            burnt.countDown();
            try {
                measured.await(); // alive at the second snapshot: an ended thread's time is not counted
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            if (x == 42) {
                System.out.println(x);
            }
        }, "oisr-chunk-test");
        codec.start();
        burnt.await();
        ThreadCpu used = ThreadCpu.snapshot().since(before);
        measured.countDown();
        codec.join();
        assertTrue(used.seconds(Group.CODECS) >= 0.2, "codecs: " + used.seconds(Group.CODECS) + " s");
        assertTrue(used.besideModel() >= used.seconds(Group.CODECS));
        assertEquals(0.0, used.seconds(Group.MODEL));
        assertTrue(used.besideModelByGroup().startsWith("codecs "), used.besideModelByGroup());
    }
}
