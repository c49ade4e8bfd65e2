package org.oisrstream.training;

import java.nio.file.Path;
import java.util.Map;

/**
 * How a run ended: iterations done, the mean loss of the last logged window, the last validation PSNRs, the best
 * PSNR on the first validation set (and its iteration), seconds per step and share of step time spent waiting for
 * data (both over this process's steps), and whether it stopped early on a signal (SIGTERM/SIGINT) after writing a
 * checkpoint.
 */
public record TrainSummary(long step, double recentLoss, Map<String, Double> lastValidation, Double bestPsnr,
                           Long bestStep, Path lastCheckpoint, double secondsPerStep, double dataWaitShare,
                           boolean interrupted) {
}
