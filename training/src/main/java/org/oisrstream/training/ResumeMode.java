package org.oisrstream.training;

import java.util.Locale;

/** What {@code oisr train} does with a run folder that already holds a checkpoint. */
public enum ResumeMode {
    /** Continue from the last checkpoint if there is one, else start (the default: a restarted pod just goes on). */
    AUTO,
    /** Continue from the last checkpoint; fail if there is none. */
    ALWAYS,
    /** Start a new run; fail if the folder already holds one. */
    NEVER;

    public static ResumeMode parse(String text) {
        return switch (text.strip().toLowerCase(Locale.ROOT)) {
            case "auto" -> AUTO;
            case "always", "yes", "true" -> ALWAYS;
            case "never", "no", "false" -> NEVER;
            default -> throw new IllegalArgumentException("unknown --resume mode '" + text
                    + "' (expected auto, always or never)");
        };
    }

    public String cliName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
