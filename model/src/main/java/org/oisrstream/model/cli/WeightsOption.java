package org.oisrstream.model.cli;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/** {@code --weights}: the weights a network runs with. */
public final class WeightsOption {

    @Option(names = {"-w", "--weights"}, paramLabel = "FILE",
            description = "Weights of an OISR network: safetensors, or a PyTorch .pt/.pth checkpoint (legacy or zip)"
                    + " (default: the weights shipped for the model and scale; oisr bench: random weights)."
                    + " Not used by nearest and bicubic.")
    Path weights;

    /** The file, or null for the default. */
    public Path weights() {
        return weights;
    }
}
