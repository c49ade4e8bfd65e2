package org.oisrstream.jobs.eval;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.oisrstream.model.infer.ImageUpscaler;
import org.oisrstream.model.infer.OisrUpscaler;
import org.oisrstream.model.infer.SelfEnsembleUpscaler;
import org.oisrstream.model.net.Variant;
import org.oisrstream.operators.infer.UpscalerSpec;

/**
 * The upscaler {@code oisr eval} asked for, built by the streaming job's
 * {@link org.oisrstream.operators.infer.UpscalerFactory} (the one place where model names meet implementations),
 * plus what the paper's tables need: the x8 self-ensemble, the method's paper name and where it ran.
 */
public final class UpscalerFactory {

    /**
     * Model names accepted by {@code --model}, in the order of the paper's tables: the models the streaming factory
     * builds, but not its {@code nearest} smoke-test baseline, which is in no table.
     */
    public static final List<String> MODELS = org.oisrstream.operators.infer.UpscalerFactory.MODELS.stream()
            .filter(m -> !m.equals("nearest")).toList();

    /**
     * What the command line asked for; {@code weights}, {@code device}, {@code precision} and {@code tile} are null
     * when not given (a null tile keeps OisrUpscaler's automatic tiling; 0 means whole images).
     */
    public record Request(String model, int scale, Path weights, String device, String precision, Integer tile,
                          boolean selfEnsemble) {
    }

    /**
     * @param method  the name used in the paper's tables, e.g. {@code Bicubic}, {@code OISR-LF-s}, {@code OISR-RK3+}
     * @param device  where it runs, for the table
     * @param ignored options that were given but do not apply to this model (for a warning)
     */
    public record Built(ImageUpscaler upscaler, String method, String device, List<String> ignored) {
    }

    private UpscalerFactory() {
    }

    /**
     * @throws IllegalArgumentException for an unknown model, unsupported scale, device or precision, or missing weights
     * @throws java.io.UncheckedIOException when the weights file cannot be read (the message names it)
     */
    public static Built create(Request request) {
        String model = request.model().toLowerCase(Locale.ROOT);
        if (!MODELS.contains(model)) {
            throw new IllegalArgumentException("unknown model '" + request.model() + "' (expected one of "
                    + String.join(", ", MODELS) + ")");
        }
        UpscalerSpec spec = new UpscalerSpec(model, request.scale(),
                request.weights() == null ? null : request.weights().toString(), request.device(),
                // Scores measure the weights, so evaluation runs exact fp32 unless asked otherwise (the other commands
                // default to auto; models.md has bf16's scores).
                request.precision() == null ? "fp32" : request.precision(),
                request.tile() == null ? UpscalerSpec.AUTO_TILE : request.tile());
        ImageUpscaler upscaler = org.oisrstream.operators.infer.UpscalerFactory.create(spec);
        Built base = upscaler instanceof OisrUpscaler network
                ? new Built(network, paperName(Variant.parse(model)),
                        network.device() + " (" + network.precision() + ")", List.of())
                : new Built(upscaler, "Bicubic", "cpu (Java)", ignoredByBicubic(request));
        if (!request.selfEnsemble()) {
            return base;
        }
        return new Built(new SelfEnsembleUpscaler(base.upscaler()), base.method() + "+", base.device(), base.ignored());
    }

    private static List<String> ignoredByBicubic(Request request) {
        List<String> ignored = new ArrayList<>();
        if (request.weights() != null) {
            ignored.add("--weights");
        }
        if (request.device() != null && !request.device().equalsIgnoreCase("cpu")) {
            ignored.add("--device");
        }
        if (request.precision() != null) {
            ignored.add("--precision");
        }
        if (request.tile() != null) {
            ignored.add("--tile");
        }
        return List.copyOf(ignored);
    }

    /** The paper's name, e.g. {@code lf-s} is {@code OISR-LF-s}. */
    static String paperName(Variant variant) {
        String name = variant.cliName().toUpperCase(Locale.ROOT);
        return "OISR-" + (name.endsWith("-S") ? name.substring(0, name.length() - 2) + "-s" : name);
    }
}
