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
        return b.toString();
    }

    static String oneLine(Throwable ex) {
        Throwable t = ex;
        String message = t.getMessage();
        while ((message == null || message.isBlank()) && t.getCause() != null) {
            t = t.getCause();
            message = t.getMessage();
        }
        if (message == null || message.isBlank()) {
            message = t.getClass().getSimpleName();
        }
        return message.replaceAll("\\s*\\R\\s*", " ").strip();
    }
}
