package org.oisrstream.model.infer;

import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;
import org.oisrstream.model.net.ModelSpec;
import org.oisrstream.model.weights.StateDict;
import org.oisrstream.model.weights.WeightsFiles;

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

    /** The shipped weights for {@code spec} read into memory, if any. */
    public static Optional<StateDict> load(ModelSpec spec) throws IOException {
        Optional<URL> url = find(spec);
        if (url.isEmpty()) {
            return Optional.empty();
        }
        if ("file".equals(url.get().getProtocol())) {
            try {
                return Optional.of(WeightsFiles.read(Path.of(url.get().toURI())));
            } catch (URISyntaxException e) {
                throw new IOException("bad resource URL " + url.get(), e);
            }
        }
        // Inside a jar: the reader maps files, so copy the resource out first.
        Path temp = Files.createTempFile("oisr-" + spec.variant().cliName() + "-x" + spec.scale(), ".safetensors");
        try (InputStream in = url.get().openStream()) {
            Files.copy(in, temp, StandardCopyOption.REPLACE_EXISTING);
            return Optional.of(WeightsFiles.read(temp));
        } finally {
            Files.deleteIfExists(temp);
        }
    }
}
