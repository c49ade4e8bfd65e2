package org.oisrstream.model.cli;

import org.oisrstream.model.infer.Upscalers;
import org.oisrstream.model.net.ModelSpec;
import org.oisrstream.model.net.Variant;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/** {@code --model} and {@code --scale}: an upscaler of the registry ({@link Upscalers}) and its factor. */
public final class ModelOptions {

    @Option(names = {"-m", "--model"}, defaultValue = Upscalers.DEFAULT_MODEL, paramLabel = "NAME",
            completionCandidates = UpscalerNames.class,
            description = "Upscaler: ${COMPLETION-CANDIDATES}: the Java baselines, then the OISR networks (oisr info"
                    + " lists their sizes) (default: ${DEFAULT-VALUE}).")
    String model;

    @Option(names = {"-s", "--scale"}, defaultValue = "4", paramLabel = "N",
            description = "Upscaling factor: 2, 3 or 4 for the networks, 2 to 8 for nearest and bicubic"
                    + " (default: ${DEFAULT-VALUE}).")
    int scale;

    public String model() {
        return model;
    }

    public int scale() {
        return scale;
    }

    /** The network and scale, for a command that only runs networks; a baseline or bad scale is a bad option. */
    public ModelSpec network(CommandLine cli) {
        return Options.parse(cli, () -> {
            String name = Upscalers.canonical(model);
            if (!Upscalers.isNetwork(name)) {
                throw new IllegalArgumentException("oisr " + cli.getCommandName() + " needs a network, not " + name
                        + " (expected one of " + Variant.names() + ")");
            }
            return ModelSpec.of(name, scale);
        });
    }
}
