package org.oisrstream.training.optim;

/**
 * Dynamic loss scaling for fp16 training (as {@code torch.cuda.amp.GradScaler}): multiply the loss before the
 * backward pass; if any gradient overflowed, skip the update and halve the scale, otherwise unscale and, after
 * {@code growthInterval} good steps in a row, double it.
 */
public final class LossScaler {

    private double scale;
    private final int growthInterval;
    private int goodSteps;

    public LossScaler(double initialScale, int growthInterval) {
        this.scale = initialScale;
        this.growthInterval = growthInterval;
    }

    public double scale() {
        return scale;
    }

    public int goodSteps() {
        return goodSteps;
    }

    /** Records the outcome of a step: {@code finite} is whether all scaled gradients were finite. */
    public void update(boolean finite) {
        if (!finite) {
            scale = Math.max(scale / 2, 1.0);
            goodSteps = 0;
        } else if (++goodSteps >= growthInterval) {
            scale *= 2;
            goodSteps = 0;
        }
    }

    public void restore(double savedScale, int savedGoodSteps) {
        this.scale = savedScale;
        this.goodSteps = savedGoodSteps;
    }
}
