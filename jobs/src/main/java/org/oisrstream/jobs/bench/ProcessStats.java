package org.oisrstream.jobs.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * This process's CPU time split into user and system, its minor page faults and its resident memory, from
 * Linux's {@code /proc/self}. System time and page faults show allocator churn (memory handed to the kernel and
 * faulted back in every frame) that wall-clock time alone hides.
 *
 * @param userSeconds   CPU time in user mode
 * @param systemSeconds CPU time in the kernel
 * @param minorFaults   page faults served without I/O (typically fresh zeroed pages)
 * @param residentBytes resident set size now
 * @param peakResidentBytes the largest resident set size so far (VmHWM)
 */
public record ProcessStats(double userSeconds, double systemSeconds, long minorFaults, long residentBytes,
                           long peakResidentBytes) {

    /** Now; all zeros where /proc is not there (not Linux). */
    public static ProcessStats now() {
        try {
            ProcStat stat = ProcStat.parse(Files.readString(Path.of("/proc/self/stat")));
            List<String> status = Files.readAllLines(Path.of("/proc/self/status"));
            return new ProcessStats(stat.userTicks() / ProcStat.TICKS_PER_SECOND,
                    stat.systemTicks() / ProcStat.TICKS_PER_SECOND, stat.minorFaults(), kib(status, "VmRSS:"),
                    kib(status, "VmHWM:"));
        } catch (IOException | RuntimeException e) {
            return new ProcessStats(0, 0, 0, 0, 0);
        }
    }

    private static long kib(List<String> status, String key) {
        for (String line : status) {
            if (line.startsWith(key)) {
                return Long.parseLong(line.substring(key.length()).strip().split("\\s+")[0]) * 1024;
            }
        }
        return 0;
    }

    /** What happened between {@code earlier} and this (peak and resident: this one's). */
    public ProcessStats since(ProcessStats earlier) {
        return new ProcessStats(userSeconds - earlier.userSeconds, systemSeconds - earlier.systemSeconds,
                minorFaults - earlier.minorFaults, residentBytes, peakResidentBytes);
    }

    /** System time as a share of user time. */
    public double systemShare() {
        return userSeconds <= 0 ? 0 : systemSeconds / userSeconds;
    }
}
