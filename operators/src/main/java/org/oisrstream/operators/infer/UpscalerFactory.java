package org.oisrstream.operators.infer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.oisrstream.model.infer.ComputeDevice;
import org.oisrstream.model.infer.DefaultWeights;
import org.oisrstream.model.infer.ImageUpscaler;
import org.oisrstream.model.infer.OisrUpscaler;
import org.oisrstream.model.infer.Precision;
import org.oisrstream.model.net.ModelSpec;
import org.oisrstream.model.net.Variant;
import org.oisrstream.model.quality.BicubicUpscaler;
import org.oisrstream.model.weights.StateDict;

/**
 * Where the streaming job's model choice is made: turns an {@link UpscalerSpec} into an {@link ImageUpscaler}
 * on the TaskManager. {@code nearest} (pixel replication) and {@code bicubic} (MATLAB-compatible) are CPU
 * baselines; the OISR variants ({@code lf-s}, {@code rk2-s}, {@code lf}, {@code rk2}, {@code rk3}) run through
 * LibTorch with weights from the spec's file, else the ones shipped for the variant and scale.
 */
public final class UpscalerFactory {

    /** Model names this build can create. */
    public static final List<String> MODELS = Stream.concat(Stream.of("nearest", "bicubic"),
            Arrays.stream(Variant.values()).map(Variant::cliName)).toList();

    private UpscalerFactory() {
    }

    /**
     * Checks that {@code spec} names a known model with what it needs (scale, device, precision, a readable
     * weights file or shipped weights) without loading anything; throws {@link IllegalArgumentException} with a
     * one-line reason otherwise.
     */
    public static void check(UpscalerSpec spec) {
        if (!MODELS.contains(spec.model())) {
            throw new IllegalArgumentException("unknown model '" + spec.model() + "' (available: "
                    + String.join(", ", MODELS) + ")");
        }
        if (isBaseline(spec)) {
            return;
        }
        ModelSpec model = modelSpec(spec);
        ComputeDevice.parse(spec.device());
        Precision.check(spec.precision());
        if (spec.weights() != null) {
            Path file = Path.of(spec.weights());
            if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
                throw new IllegalArgumentException("weights file " + file + " does not exist or is not readable");
            }
        } else if (DefaultWeights.find(model).isEmpty()) {
            throw new IllegalArgumentException(noShippedWeights(model) + " (or use --model bicubic)");
        }
    }

    /** Builds the upscaler (on the calling thread, which then owns its device), running one frame at a time. */
    public static ImageUpscaler create(UpscalerSpec spec) {
        return create(spec, 1);
    }

    /**
     * Builds the upscaler (on the calling thread, which then owns its device); a network runs up to
     * {@code batchSize} frames of one size through one forward pass.
     */
    public static ImageUpscaler create(UpscalerSpec spec, int batchSize) {
        check(spec);
        switch (spec.model()) {
            case "nearest":
                return new NearestNeighbourUpscaler(spec.scale());
            case "bicubic":
                return new BicubicUpscaler(spec.scale());
            default:
                break;
        }
        ModelSpec model = modelSpec(spec);
        OisrUpscaler.Builder builder = OisrUpscaler.builder(model)
                .weights(weights(model, spec.weights()))
                .device(spec.device())
                .precision(spec.precision())
                .maxBatch(batchSize);
        if (spec.tile() != UpscalerSpec.AUTO_TILE) {
            builder.tile(spec.tile());
        }
        return builder.build();
    }

    private static boolean isBaseline(UpscalerSpec spec) {
        return spec.model().equals("nearest") || spec.model().equals("bicubic");
    }

    private static ModelSpec modelSpec(UpscalerSpec spec) {
        if (!ModelSpec.SCALES.contains(spec.scale())) {
            throw new IllegalArgumentException(spec.model() + " supports scales " + ModelSpec.SCALES + ", not "
                    + spec.scale());
        }
        return new ModelSpec(Variant.parse(spec.model()), spec.scale());
    }

    private static StateDict weights(ModelSpec model, String file) {
        try {
            return DefaultWeights.fileOrShipped(model, file == null ? null : Path.of(file))
                    .orElseThrow(() -> new IllegalArgumentException(noShippedWeights(model)));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read weights for " + model.describe() + ": " + e.getMessage(), e);
        }
    }

    private static String noShippedWeights(ModelSpec model) {
        return "no trained weights ship for " + model.describe() + " in this build: give --weights FILE";
    }
}
