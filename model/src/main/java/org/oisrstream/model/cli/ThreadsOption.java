package org.oisrstream.model.cli;

import picocli.CommandLine;
import picocli.CommandLine.Option;

/** {@code --threads}: LibTorch's intra-op threads in this process. */
public final class ThreadsOption {

    @Option(names = "--threads", defaultValue = "0", paramLabel = "N",
            description = "LibTorch intra-op threads; 0 = one per processor available (default: ${DEFAULT-VALUE}).")
    int threads;

    /** The number as given, unchecked. */
    public int threads() {
        return threads;
    }

    public int threads(CommandLine cli) {
        if (threads < 0) {
            throw new CommandLine.ParameterException(cli, "--threads must be >= 0, got " + threads);
        }
        return threads;
    }
}
