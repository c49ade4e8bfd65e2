package org.oisrstream.jobs.assemble;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class CommitWindowTest {

    private static final Duration HOUR = Duration.ofHours(1);

    /** Runs awaitFetch on a thread of its own; the latch opens when it returns. */
    private static CountDownLatch awaitOnAnotherThread(CommitWindow window) {
        CountDownLatch returned = new CountDownLatch(1);
        Thread waiter = new Thread(() -> {
            try {
                window.awaitFetch();
                returned.countDown();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        waiter.setDaemon(true);
        waiter.start();
        return returned;
    }

    @Test
    void aWaitingAssemblerFetchesAsSoonAsACommitIsAnnounced() throws Exception {
        CommitWindow window = new CommitWindow(HOUR, HOUR);
        CountDownLatch returned = awaitOnAnotherThread(window);
        assertFalse(returned.await(200, TimeUnit.MILLISECONDS), "fetched with no commit announced");
        window.committing();
        assertTrue(returned.await(30, TimeUnit.SECONDS), "still resting after a commit was announced");
    }

    @Test
    void whileTheWindowIsOpenEveryFetchGoesAtOnce() {
        CommitWindow window = new CommitWindow(HOUR, HOUR);
        window.committing();
        assertTimeoutPreemptively(Duration.ofSeconds(30), () -> {
            for (int i = 0; i < 100; i++) {
                window.awaitFetch();
            }
        });
    }

    @Test
    void afterTheWindowClosesTheAssemblerRestsAgain() throws Exception {
        CommitWindow window = new CommitWindow(Duration.ofMillis(1), HOUR);
        window.committing();
        Thread.sleep(20);
        CountDownLatch returned = awaitOnAnotherThread(window);
        assertFalse(returned.await(200, TimeUnit.MILLISECONDS), "fetched after the window had closed");
        window.committing();
        assertTrue(returned.await(30, TimeUnit.SECONDS));
    }

    @Test
    void withoutNewsItStillFetchesOncePerFallbackInterval() {
        CommitWindow window = new CommitWindow(HOUR, Duration.ofMillis(50));
        assertTimeoutPreemptively(Duration.ofSeconds(30), () -> {
            window.awaitFetch();
            window.awaitFetch();
        });
    }

    @Test
    void refusesEmptyIntervals() {
        assertThrows(IllegalArgumentException.class, () -> new CommitWindow(Duration.ZERO, HOUR));
        assertThrows(IllegalArgumentException.class, () -> new CommitWindow(HOUR, Duration.ZERO));
    }
}
