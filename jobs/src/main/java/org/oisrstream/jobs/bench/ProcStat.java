package org.oisrstream.jobs.bench;

/**
 * What the benchmarks read from one line of Linux's {@code /proc/.../stat} (a process's or a thread's).
 *
 * @param name        the command or thread name (Linux keeps the first 15 characters)
 * @param minorFaults page faults served without I/O
 * @param userTicks   CPU time in user mode, in clock ticks
 * @param systemTicks CPU time in the kernel, in clock ticks
 */
record ProcStat(String name, long minorFaults, long userTicks, long systemTicks) {

    /** Clock ticks per second of /proc's CPU times (USER_HZ, 100 on Linux). */
    static final double TICKS_PER_SECOND = 100.0;

    /** Parses a stat line; the name is in parentheses and may hold spaces and parentheses itself. */
    static ProcStat parse(String line) {
        int open = line.indexOf('(');
        int close = line.lastIndexOf(')');
        String[] f = line.substring(close + 2).split(" ");
        return new ProcStat(line.substring(open + 1, close), Long.parseLong(f[7]), Long.parseLong(f[11]),
                Long.parseLong(f[12]));
    }
}
