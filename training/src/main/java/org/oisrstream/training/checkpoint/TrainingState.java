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
}
