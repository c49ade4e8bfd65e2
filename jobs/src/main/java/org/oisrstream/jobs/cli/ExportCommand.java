package org.oisrstream.jobs.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.oisrstream.model.weights.DType;
import org.oisrstream.training.checkpoint.WeightsExport;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code oisr export}: a training run's best (or last) checkpoint as a weights file for --weights. */
@Command(name = "export", mixinStandardHelpOptions = true,
        description = "Writes a training run's best (or last) checkpoint as a safetensors weights file with its"
                + " provenance as metadata (network, scale, step, data, validation PSNR), for --weights of"
                + " image, upscale, eval and the streaming job.")
final class ExportCommand implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--run", required = true, paramLabel = "DIR", description = "The run folder (oisr train --out).")
    Path run;

    @Option(names = "--checkpoint", defaultValue = "best",
            description = "best (by the first validation set) or last (default: ${DEFAULT-VALUE}).")
    String checkpoint;

    @Option(names = {"-o", "--output"}, required = true, paramLabel = "FILE", description = "The .safetensors file to write.")
    Path output;

    @Option(names = "--dtype", defaultValue = "f32",
            description = "Tensor type in the file: f32, f16 or bf16 (default: ${DEFAULT-VALUE}; the shipped"
                    + " defaults are f16).")
    String dtype;

    @Override
    public Integer call() throws Exception {
        CommandLine cli = spec.commandLine();
        DType type = switch (dtype.toLowerCase(Locale.ROOT)) {
            case "f32", "fp32" -> DType.F32;
            case "f16", "fp16" -> DType.F16;
            case "bf16" -> DType.BF16;
            default -> throw new CommandLine.ParameterException(cli, "--dtype must be f32, f16 or bf16, got '"
                    + dtype + "'");
        };
        if (!output.getFileName().toString().endsWith(".safetensors")) {
            throw new CommandLine.ParameterException(cli, "--output must end in .safetensors, got " + output);
        }
        if (!checkpoint.equals("best") && !checkpoint.equals("last")) {
            throw new CommandLine.ParameterException(cli, "--checkpoint must be best or last, got '" + checkpoint + "'");
        }
        WeightsExport.Exported exported = WeightsExport.export(run, checkpoint, output, type);
        PrintWriter out = cli.getOut();
        out.printf(Locale.ROOT, "%s <- %s (iteration %d)%n", exported.file(), exported.checkpoint(), exported.step());
        exported.metadata().forEach((k, v) -> out.printf(Locale.ROOT, "  %s: %s%n", k, v));
        out.flush();
        return 0;
    }
}
