package org.oisrstream.jobs.cli;

import java.util.List;
import org.oisrstream.model.infer.Upscalers;
import picocli.CommandLine;

/** Says on stderr which network options a command line gave that a Java baseline ({@code nearest}, {@code bicubic}) does not use. */
final class IgnoredOptions {

    private static final List<String> NETWORK_ONLY = List.of("--weights", "--device", "--precision", "--tile",
            "--max-batch", "--layout", "--overlap", "--threads");

    private IgnoredOptions() {
    }

    static void warn(CommandLine cli, String model) {
        if (Upscalers.isNetwork(model)) {
            return;
        }
        List<String> given = NETWORK_ONLY.stream().filter(cli.getParseResult()::hasMatchedOption).toList();
        if (!given.isEmpty()) {
            cli.getErr().println("oisr " + cli.getCommandName() + ": " + String.join(", ", given)
                    + " ignored for --model " + model);
            cli.getErr().flush();
        }
    }
}
