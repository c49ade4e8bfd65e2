package org.oisrstream.operators.infer;

import java.util.List;
import org.oisrstream.model.infer.ImageUpscaler;

/** The one place that turns a model name into an {@link ImageUpscaler}. */
public final class UpscalerFactory {

    /** Model names this build can create. */
    public static final List<String> MODELS = List.of("nearest");

    private UpscalerFactory() {
    }

    /**
     * Checks that {@code spec} names a known model with what it needs (e.g. a readable weights file), without
     * loading anything; throws {@link IllegalArgumentException} with a one-line reason otherwise.
     */
    public static void check(UpscalerSpec spec) {
        if (!MODELS.contains(spec.model())) {
            throw new IllegalArgumentException("unknown model '" + spec.model() + "' (available: "
                    + String.join(", ", MODELS) + ")");
        }
    }

    /** Builds the upscaler (on the calling thread, which then owns its device). */
    public static ImageUpscaler create(UpscalerSpec spec) {
        check(spec);
        return switch (spec.model()) {
            case "nearest" -> new NearestNeighbourUpscaler(spec.scale());
            default -> throw new IllegalStateException("no builder for model " + spec.model());
        };
    }
}
