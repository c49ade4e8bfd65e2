package org.oisrstream.model.cli;

import picocli.CommandLine;
import picocli.CommandLine.Option;

/** {@code --max-batch}: how many frames of one size one forward pass may take. */
public final class BatchOption {

    @Option(names = "--max-batch", defaultValue = "8", paramLabel = "N",
            description = "Largest inference batch in frames of one size; on the CPU frames of 128x128 input pixels or"
                    + " more run one at a time anyway, on CUDA as many as fit in free memory (default: ${DEFAULT-VALUE}).")
    int maxBatch;

    public int maxBatch(CommandLine cli) {
        if (maxBatch < 1) {
            throw new CommandLine.ParameterException(cli, "--max-batch must be at least 1, got " + maxBatch);
        }
        return maxBatch;
    }
}
