package org.oisrstream.jobs.eval;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.oisrstream.model.infer.ImageUpscaler;
import org.oisrstream.model.infer.SelfEnsembleUpscaler;
import org.oisrstream.model.quality.BicubicUpscaler;

/**
 * Builds the upscaler a command asked for: the bicubic baseline, or an OISR network variant. This is the one place
 * where model names meet implementations.
 */
public final class UpscalerFactory {

    /** Model names accepted by {@code --model}, in the order of the paper's tables. */
    public static final List<String> MODELS = List.of("bicubic", "lf-s", "rk2-s", "lf", "rk2", "rk3");

    /**
     * What the command line asked for; {@code weights}, {@code device}, {@code precision} and {@code tile} are null
     * when not given.
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

    public static Built create(Request request) {
        String model = request.model().toLowerCase(Locale.ROOT);
        if (!MODELS.contains(model)) {
            throw new IllegalArgumentException("unknown model '" + request.model() + "' (expected one of "
                    + String.join(", ", MODELS) + ")");
        }
        if (request.scale() < 1) {
            throw new IllegalArgumentException("scale must be at least 1, got " + request.scale());
        }
        Built base = model.equals("bicubic") ? bicubic(request) : network(model, request);
        if (!request.selfEnsemble()) {
            return base;
        }
        return new Built(new SelfEnsembleUpscaler(base.upscaler()), base.method() + "+", base.device(), base.ignored());
    }

    private static Built bicubic(Request request) {
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
        return new Built(new BicubicUpscaler(request.scale()), "Bicubic", "cpu (Java)", List.copyOf(ignored));
    }

    /**
     * The OISR networks come from the {@code net} branch ({@code OisrUpscaler implements ImageUpscaler},
     * {@code ModelSpec}, {@code Variant}); wiring them in is a change to this method only.
     */
    private static Built network(String model, Request request) {
        throw new UnsupportedOperationException("model " + model + " needs the OISR networks, which are not in this"
                + " build yet; only --model bicubic can be evaluated");
    }
}
