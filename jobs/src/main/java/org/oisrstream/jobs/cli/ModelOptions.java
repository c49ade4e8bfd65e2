package org.oisrstream.jobs.cli;

import org.oisrstream.model.infer.ComputeDevice;
import org.oisrstream.model.infer.MemoryLayout;
import org.oisrstream.model.infer.Precision;
import org.oisrstream.model.net.ModelSpec;
import org.oisrstream.model.net.Variant;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/** The options that choose a network and how it runs, shared by the commands that run one. */
final class ModelOptions {

    @Option(names = {"-m", "--model"}, defaultValue = "lf-s",
            description = "Network: lf-s, rk2-s, lf, rk2 or rk3 (default: ${DEFAULT-VALUE}).")
    String model;

    @Option(names = {"-s", "--scale"}, defaultValue = "4", description = "Upscaling factor: 2, 3 or 4 (default: ${DEFAULT-VALUE}).")
    int scale;

    @Option(names = "--device", defaultValue = "auto", description = "auto, cpu, cuda or cuda:N (default: ${DEFAULT-VALUE}).")
    String device;

    @Option(names = "--precision", defaultValue = "auto",
            description = "auto (bf16 on CPUs with native bf16, fp16 on CUDA, else fp32), fp32, bf16 or fp16 (fp16"
                    + " needs CUDA) (default: ${DEFAULT-VALUE}).")
    String precision;

    @Option(names = "--layout", defaultValue = "auto",
            description = "Memory layout: auto (channels-last on CPU), nchw or channels-last (default: ${DEFAULT-VALUE}).")
    String layout;

    @Option(names = "--threads", defaultValue = "0", description = "LibTorch intra-op threads; 0 = every processor available (default).")
    int threads;

    ModelSpec spec(CommandLine cli) {
        Variant variant = parse(cli, () -> Variant.parse(model));
        if (!ModelSpec.SCALES.contains(scale)) {
            throw new CommandLine.ParameterException(cli, "unsupported scale " + scale + " (expected 2, 3 or 4)");
        }
        return new ModelSpec(variant, scale);
    }

    ComputeDevice device(CommandLine cli) {
        return parse(cli, () -> ComputeDevice.parse(device));
    }

    /** The precision as given (auto or a name), checked; the upscaler resolves auto once it knows the device. */
    String precision(CommandLine cli) {
        return parse(cli, () -> {
            Precision.check(precision);
            return precision;
        });
    }

    MemoryLayout layout(CommandLine cli) {
        return parse(cli, () -> MemoryLayout.parse(layout));
    }

    int threads(CommandLine cli) {
        if (threads < 0) {
            throw new CommandLine.ParameterException(cli, "--threads must be >= 0, got " + threads);
        }
        return threads;
    }

    static <T> T parse(CommandLine cli, java.util.function.Supplier<T> parser) {
        try {
            return parser.get();
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(cli, e.getMessage());
        }
    }
}
