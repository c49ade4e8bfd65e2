package org.oisrstream.training.optim;

/**
 * The EDSR/OISR learning-rate schedule: {@code base} multiplied by {@code gamma} every {@code decayEvery} iterations
 * (the paper: 1e-4, halved every 250 epochs of 1000 iterations).
 */
public record StepDecaySchedule(double base, long decayEvery, double gamma) {

    public StepDecaySchedule {
        if (!(base > 0) || decayEvery < 1 || !(gamma > 0)) {
            throw new IllegalArgumentException("learning rate and gamma must be positive, decay period at least 1");
        }
    }

    /** The learning rate for iteration {@code step} (0-based). */
    public double at(long step) {
        return base * Math.pow(gamma, step / decayEvery);
    }
}
