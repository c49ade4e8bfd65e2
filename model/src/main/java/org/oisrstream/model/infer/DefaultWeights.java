package org.oisrstream.model.infer;

import java.net.URL;
import java.util.Optional;
import org.oisrstream.model.net.ModelSpec;

/**
 * Trained weights shipped on the classpath as
 * {@code org/oisrstream/model/weights/default/<variant>-x<scale>.safetensors} (e.g. {@code lf-s-x4.safetensors}).
 */
public final class DefaultWeights {

    public static final String FOLDER = "org/oisrstream/model/weights/default/";

    private DefaultWeights() {
    }

    public static String resourceName(ModelSpec spec) {
        return FOLDER + spec.variant().cliName() + "-x" + spec.scale() + ".safetensors";
    }

    /** The shipped weights for {@code spec}, if any. */
    public static Optional<URL> find(ModelSpec spec) {
        ClassLoader loader = Thread.currentThread().getContextClassLoader();
        if (loader == null) {
            loader = DefaultWeights.class.getClassLoader();
        }
        return Optional.ofNullable(loader.getResource(resourceName(spec)));
    }
}
