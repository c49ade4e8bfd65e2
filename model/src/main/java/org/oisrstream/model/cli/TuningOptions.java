package org.oisrstream.model.cli;

import org.oisrstream.model.infer.MemoryLayout;
import org.oisrstream.model.infer.Tiling;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/**
 * {@code --layout} and {@code --overlap}: how a network runs in this process (the commands that build it here:
 * {@code image}, {@code bench}, {@code eval}; the streaming job keeps the defaults).
 */
public final class TuningOptions {

    @Option(names = "--layout", defaultValue = "auto", paramLabel = "L",
            description = "Memory layout: auto (channels-last on CPU, NCHW on CUDA), nchw or channels-last"
                    + " (default: ${DEFAULT-VALUE}).")
    String layout;

    @Option(names = "--overlap", defaultValue = "" + Tiling.DEFAULT_OVERLAP, paramLabel = "PX",
            description = "Input pixels of context around each network tile (default: ${DEFAULT-VALUE}).")
    int overlap;

    public MemoryLayout layout(CommandLine cli) {
        return Options.parse(cli, () -> MemoryLayout.parse(layout));
    }

    public int overlap(CommandLine cli) {
        if (overlap < 0) {
            throw new CommandLine.ParameterException(cli, "--overlap must be >= 0, got " + overlap);
        }
        return overlap;
    }
}
