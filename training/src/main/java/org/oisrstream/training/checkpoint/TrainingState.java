package org.oisrstream.training.checkpoint;

import java.util.Map;

/**
 * The non-tensor part of a checkpoint, stored as {@code state.json}: where training stands and everything needed to
 * continue it exactly. The sampler's random state is (seed, step): batch {@code i} is drawn from a stream seeded by
 * both, so nothing else needs saving. {@code files} lists the tensor files of the checkpoint with their sizes and
 * SHA-256, so a truncated or corrupted checkpoint is detected before it is used.
 */
public record TrainingState(
        String format,
        String model,
        int scale,
        long step,
        long seed,
        long adamSteps,
        double learningRate,
        Schedule schedule,
        String precision,
        double lossScale,
        int lossScaleGoodSteps,
        Double bestPsnr,
        Long bestStep,
        Map<String, Double> validation,
        Map<String, FileDigest> files) {

    public static final String FORMAT = "oisr-train-checkpoint/1";

    /** The learning-rate schedule the run uses. */
    public record Schedule(double base, long decayEvery, double gamma) {
    }

    /** Size and SHA-256 (hex) of one file of the checkpoint. */
    public record FileDigest(long bytes, String sha256) {
    }

    public TrainingState withFiles(Map<String, FileDigest> digests) {
        return new TrainingState(format, model, scale, step, seed, adamSteps, learningRate, schedule, precision,
                lossScale, lossScaleGoodSteps, bestPsnr, bestStep, validation, digests);
    }

    /** A state of the current {@link #FORMAT} without file digests (the {@link CheckpointStore} adds them). */
    public static Builder builder() {
        return new Builder();
    }

    /** Named construction of a {@link TrainingState}; the best PSNR and its step may stay unset (no validation yet). */
    public static final class Builder {
        private String model;
        private int scale;
        private long step;
        private long seed;
        private long adamSteps;
        private double learningRate;
        private Schedule schedule;
        private String precision;
        private double lossScale;
        private int lossScaleGoodSteps;
        private Double bestPsnr;
        private Long bestStep;
        private Map<String, Double> validation = Map.of();

        private Builder() {
        }

        /** The network, as {@code Architecture.describe()} names it, and its scale. */
        public Builder network(String model, int scale) {
            this.model = model;
            this.scale = scale;
            return this;
        }

        /** The iterations done and the seed of the patch stream. */
        public Builder progress(long step, long seed) {
            this.step = step;
            this.seed = seed;
            return this;
        }

        public Builder adamSteps(long adamSteps) {
            this.adamSteps = adamSteps;
            return this;
        }

        /** The learning rate at {@code step} and the schedule it comes from. */
        public Builder learningRate(double learningRate, Schedule schedule) {
            this.learningRate = learningRate;
            this.schedule = schedule;
            return this;
        }

        public Builder precision(String precision) {
            this.precision = precision;
            return this;
        }

        /** The fp16 loss scaler's scale and its count of good steps since the last change. */
        public Builder lossScale(double lossScale, int goodSteps) {
            this.lossScale = lossScale;
            this.lossScaleGoodSteps = goodSteps;
            return this;
        }

        /** The best validation PSNR so far and its step; both null before the first validation. */
        public Builder best(Double psnr, Long step) {
            this.bestPsnr = psnr;
            this.bestStep = step;
            return this;
        }

        /** The last validation's PSNR per set. */
        public Builder validation(Map<String, Double> validation) {
            this.validation = validation;
            return this;
        }

        public TrainingState build() {
            if (model == null || schedule == null || precision == null) {
                throw new IllegalStateException("a training state needs the network, the schedule and the precision");
            }
            return new TrainingState(FORMAT, model, scale, step, seed, adamSteps, learningRate, schedule, precision,
                    lossScale, lossScaleGoodSteps, bestPsnr, bestStep, validation, null);
        }
    }
}
