package org.oisrstream.jobs.cli;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.oisrstream.model.cli.ModelOptions;
import org.oisrstream.model.net.Architecture;
import org.oisrstream.model.net.ModelSpec;
import org.oisrstream.model.net.StateDictArchitecture;
import org.oisrstream.model.net.Variant;
import org.oisrstream.model.net.WeightsMismatchException;
import org.oisrstream.model.weights.DType;
import org.oisrstream.model.weights.StateDict;
import org.oisrstream.model.weights.WeightsFiles;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code oisr convert}: any supported checkpoint to checked, annotated safetensors. */
@Command(name = "convert",
        mixinStandardHelpOptions = true,
        description = {
                "Converts OISR weights to safetensors: PyTorch checkpoints (legacy pre-1.6 or zip format, read "
                        + "without Python by a restricted unpickler) or safetensors.",
                "Checks that the weights are the given variant and scale; writes metadata (variant, scale, source)."})
public final class ConvertCommand implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "CHECKPOINT", description = "input weights (.pt, .pth, .safetensors)")
    Path checkpoint;

    /** The network and scale the weights must be, with the flags every command shares. */
    @Mixin
    ModelOptions model;

    @Option(names = {"-o", "--output"}, required = true, paramLabel = "FILE", description = "output .safetensors")
    Path output;

    @Option(names = "--dtype", defaultValue = "fp32", paramLabel = "TYPE",
            description = "stored precision: fp32, fp16 or bf16 (default: ${DEFAULT-VALUE})")
    String dtype;

    @Override
    public Integer call() throws Exception {
        ModelSpec wanted = model.network(spec.commandLine());
        Variant variant = wanted.variant();
        int scale = wanted.scale();
        DType storeAs = parseDtype(dtype);

        StateDict weights = WeightsFiles.read(checkpoint);
        try {
            Architecture found = StateDictArchitecture.of(weights.shapes());
            if (!found.equals(wanted.architecture())) {
                throw new WeightsMismatchException("weights are " + found.describe() + " but the model is "
                        + wanted.describe(), List.of());
            }
        } catch (IllegalArgumentException e) { // includes WeightsMismatchException
            throw new IllegalArgumentException(checkpoint + ": " + e.getMessage(), e);
        }

        Map<String, String> metadata = new LinkedHashMap<>();
        metadata.put("variant", variant.cliName());
        metadata.put("scale", Integer.toString(scale));
        metadata.put("source", String.valueOf(checkpoint.getFileName()));
        WeightsFiles.write(weights.withMetadata(metadata), output, storeAs);

        spec.commandLine().getOut().printf(Locale.ROOT, "%s: %d tensors, %,d parameters, %s x%d, %s (from %s %s)%n",
                output, weights.tensors().size(), weights.parameterCount(), variant.cliName(), scale,
                dtype.toLowerCase(Locale.ROOT), weights.metadata().get("source_format"), checkpoint.getFileName());
        spec.commandLine().getOut().flush();
        return 0;
    }

    private DType parseDtype(String name) {
        return switch (name.toLowerCase(Locale.ROOT)) {
            case "fp32", "f32", "float32" -> DType.F32;
            case "fp16", "f16", "float16", "half" -> DType.F16;
            case "bf16", "bfloat16" -> DType.BF16;
            default -> throw new CommandLine.ParameterException(spec.commandLine(),
                    "--dtype must be fp32, fp16 or bf16, not '" + name + "'");
        };
    }
}
