package org.oisrstream.training;

import java.util.function.LongSupplier;

/**
 * The steps since the last log line: their summed loss, their wall time and the part of it the loop spent waiting
 * for batches. {@link #close} reports them and starts the next window.
 */
final class LossWindow {

    /** One closed window: mean loss, steps, wall seconds per step and the share of wall time spent waiting for data. */
    record Stats(double meanLoss, int steps, double secondsPerStep, double dataWaitShare) {
    }

    private final LongSupplier waitNanos;
    private double loss;
    private int steps;
    private long start;
    private long waitStart;

    /** @param waitNanos the loop's total time spent waiting for batches so far */
    LossWindow(LongSupplier waitNanos) {
        this.waitNanos = waitNanos;
        this.start = System.nanoTime();
        this.waitStart = waitNanos.getAsLong();
    }

    void add(double stepLoss) {
        loss += stepLoss;
        steps++;
    }

    Stats close() {
        long now = System.nanoTime();
        double seconds = (now - start) / 1e9;
        Stats stats = new Stats(loss / steps, steps, seconds / steps, (waitNanos.getAsLong() - waitStart) / 1e9 / seconds);
        loss = 0;
        steps = 0;
        start = now;
        waitStart = waitNanos.getAsLong();
        return stats;
    }
}
