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

    /** Clock ticks per second of /proc's CPU times (USER_HZ, 100 on Linux). */
    private static final double TICKS = 100.0;

    /** Now; all zeros where /proc is not there (not Linux). */
    public static ProcessStats now() {
        try {
            String stat = Files.readString(Path.of("/proc/self/stat"));
            // Fields after the command name, which is in parentheses and may hold spaces.
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            long minflt = Long.parseLong(f[7]);
            double utime = Long.parseLong(f[11]) / TICKS;
            double stime = Long.parseLong(f[12]) / TICKS;
            List<String> status = Files.readAllLines(Path.of("/proc/self/status"));
            return new ProcessStats(utime, stime, minflt, kib(status, "VmRSS:"), kib(status, "VmHWM:"));
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
