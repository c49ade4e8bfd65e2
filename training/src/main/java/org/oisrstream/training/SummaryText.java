package org.oisrstream.training;

import java.util.Map;

/** Human-readable end-of-run lines and one-line error messages. */
public final class SummaryText {

    private SummaryText() {
    }

    public static String of(TrainSummary s) {
        StringBuilder b = new StringBuilder();
        b.append(String.format("iterations: %d, recent loss %.4f, %.3f s/step, data wait %.2f%% of step time%n",
                s.step(), s.recentLoss(), s.secondsPerStep(), 100 * s.dataWaitShare()));
        if (!s.lastValidation().isEmpty()) {
            b.append("last validation:");
            for (Map.Entry<String, Double> e : s.lastValidation().entrySet()) {
                b.append(String.format(" %s %.2f dB", e.getKey(), e.getValue()));
            }
            b.append(String.format("; best %.2f dB at iteration %d%n", s.bestPsnr(), s.bestStep()));
        }
        b.append("last checkpoint: ").append(s.lastCheckpoint());
        if (s.interrupted()) {
            b.append(String.format("%nstopped by a signal before the last iteration; start again to continue"));
        }
        return b.toString();
    }
}
