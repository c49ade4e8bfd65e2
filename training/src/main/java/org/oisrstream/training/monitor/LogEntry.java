package org.oisrstream.training.monitor;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.Map;

/**
 * One line of {@code log.jsonl}. {@code type} is {@code train} (mean loss over the last {@code steps} iterations,
 * learning rate, seconds per step and the share of step time spent waiting for data) or {@code val} (PSNR per
 * validation set, in dB, Y channel, border of {@code scale} pixels shaved).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record LogEntry(
        String type,
        long step,
        String time,
        Double loss,
        Integer steps,
        Double lr,
        Double secondsPerStep,
        Double dataWaitShare,
        Map<String, Double> psnr,
        Double seconds) {

    public static LogEntry train(long step, String time, double loss, int steps, double lr, double secondsPerStep,
                                 double dataWaitShare) {
        return new LogEntry("train", step, time, loss, steps, lr, secondsPerStep, dataWaitShare, null, null);
    }

    public static LogEntry validation(long step, String time, Map<String, Double> psnr, double seconds) {
        return new LogEntry("val", step, time, null, null, null, null, null, psnr, seconds);
    }
}
