package org.oisrstream.operators.infer;

import java.util.List;
import org.oisrstream.model.infer.ImageUpscaler;

/** The one place that turns a model name into an {@link ImageUpscaler}. */
public final class UpscalerFactory {

    /** Model names this build can create. */
    public static final List<String> MODELS = List.of("nearest");

    private UpscalerFactory() {
    }

    public static ImageUpscaler create(UpscalerSpec spec) {
        return switch (spec.model()) {
            case "nearest" -> new NearestNeighbourUpscaler(spec.scale());
            default -> throw new IllegalArgumentException("unknown model '" + spec.model() + "' (available: "
                    + String.join(", ", MODELS) + ")");
        };
    }
}
