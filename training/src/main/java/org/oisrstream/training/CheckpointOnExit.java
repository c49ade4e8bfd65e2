package org.oisrstream.training;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A shutdown hook for the training loop: if the JVM shuts down some other way than by the signals
 * {@link StopSignals} handles (System.exit elsewhere, SIGHUP, a JVM started with -Xrs), it requests the stop and
 * waits (at most five minutes) until the loop has written its checkpoint and {@link #close closed} this.
 */
final class CheckpointOnExit implements AutoCloseable {

    private static final long WAIT_MINUTES = 5;

    private final CountDownLatch loopDone = new CountDownLatch(1);
    private final Thread hook;

    private CheckpointOnExit(StopSignals stop) {
        hook = new Thread(() -> {
            stop.request();
            try {
                loopDone.await(WAIT_MINUTES, TimeUnit.MINUTES);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "checkpoint-on-exit");
    }

    static CheckpointOnExit install(StopSignals stop) {
        CheckpointOnExit onExit = new CheckpointOnExit(stop);
        Runtime.getRuntime().addShutdownHook(onExit.hook);
        return onExit;
    }

    /** The loop is done: a waiting hook returns, and the hook is removed unless the JVM is already shutting down. */
    @Override
    public void close() {
        loopDone.countDown();
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
            // the JVM is already shutting down
        }
    }
}
