package org.oisrstream.jobs.cli;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.oisrstream.model.weights.ArchitectureGuess;
import org.oisrstream.model.weights.DType;
import org.oisrstream.model.weights.OisrVariantSpec;
import org.oisrstream.model.weights.StateDict;
import org.oisrstream.model.weights.WeightsFiles;
import picocli.CommandLine;
import picocli.CommandLine.Command;
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

    @Option(names = "--model", required = true, paramLabel = "VARIANT",
            description = "OISR variant: lf-s, rk2-s, lf, rk2, rk3")
    String model;

    @Option(names = "--scale", required = true, paramLabel = "N", description = "upscaling factor: 2, 3 or 4")
    int scale;

    @Option(names = {"-o", "--output"}, required = true, paramLabel = "FILE", description = "output .safetensors")
    Path output;

    @Option(names = "--dtype", defaultValue = "fp32", paramLabel = "TYPE",
            description = "stored precision: fp32, fp16 or bf16 (default: ${DEFAULT-VALUE})")
    String dtype;

    @Override
    public Integer call() throws Exception {
        OisrVariantSpec variant;
        try {
            variant = OisrVariantSpec.byName(model);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--model: " + e.getMessage());
        }
        if (!OisrVariantSpec.SCALES.contains(scale)) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "--scale must be one of " + OisrVariantSpec.SCALES + ", not " + scale);
        }
        DType storeAs = parseDtype(dtype);

        StateDict weights = WeightsFiles.read(checkpoint);
        try {
            ArchitectureGuess.of(weights).requireMatches(variant, scale);
        } catch (IllegalArgumentException e) { // includes WeightsMismatchException
            throw new IllegalArgumentException(checkpoint + ": " + e.getMessage(), e);
        }

        Map<String, String> metadata = new LinkedHashMap<>();
        metadata.put("variant", variant.name());
        metadata.put("scale", Integer.toString(scale));
        metadata.put("source", String.valueOf(checkpoint.getFileName()));
        WeightsFiles.write(weights.withMetadata(metadata), output, storeAs);

        spec.commandLine().getOut().printf(Locale.ROOT, "%s: %d tensors, %,d parameters, %s x%d, %s (from %s %s)%n",
                output, weights.tensors().size(), weights.parameterCount(), variant.name(), scale,
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
