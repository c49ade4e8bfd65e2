package org.oisrstream.jobs.cli;

import java.io.PrintWriter;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.oisrstream.model.infer.Upscalers;
import org.oisrstream.model.net.ModelComplexity;
import org.oisrstream.model.net.ModelSpec;
import org.oisrstream.model.net.Variant;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code oisr info}: size and cost of every network. */
@Command(name = "info", mixinStandardHelpOptions = true,
        description = "The upscalers --model accepts: parameters and multiply-accumulates of each OISR network (MACs for a 1280x720 output by default,"
                + " counted as in the paper's Tables 2 and 3: all 3x3 convolutions, LR size = floor(output / scale)).")
final class InfoCommand implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--output-size", defaultValue = "1280x720",
            description = "Output size the MACs are counted for (default: ${DEFAULT-VALUE}).")
    String outputSize;

    @Override
    public Integer call() {
        int[] size = Sizes.parse(spec.commandLine(), "--output-size", outputSize);
        PrintWriter out = spec.commandLine().getOut();
        String macsHeader = "GMACs " + size[0] + "x" + size[1];
        out.printf(Locale.ROOT, "%-6s %-5s %3s %4s %5s %12s %16s%n", "model", "block", "B", "F", "scale", "parameters",
                macsHeader);
        for (Variant v : Upscalers.networks()) {
            for (int scale : ModelSpec.SCALES) {
                ModelComplexity c = ModelComplexity.of(new ModelSpec(v, scale));
                out.printf(Locale.ROOT, "%-6s %-5s %3d %4d %5s %,12d %16.1f%n", v.cliName(), v.block(), v.blocks(),
                        v.features(), "x" + scale, c.parameters(), c.macs(size[0], size[1]) / 1e9);
            }
        }
        out.printf(Locale.ROOT, "%s: CPU baselines in Java without parameters (pixel replication; MATLAB imresize"
                + " bicubic), scales %d to %d%n", String.join(", ", Upscalers.baselines()), Upscalers.MIN_BASELINE_SCALE,
                Upscalers.MAX_BASELINE_SCALE);
        out.flush();
        return 0;
    }
}
