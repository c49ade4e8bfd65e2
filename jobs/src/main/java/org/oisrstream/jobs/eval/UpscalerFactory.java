package org.oisrstream.jobs.eval;

import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Stream;
import org.oisrstream.model.infer.DefaultWeights;
import org.oisrstream.model.infer.ImageUpscaler;
import org.oisrstream.model.infer.OisrUpscaler;
import org.oisrstream.model.infer.SelfEnsembleUpscaler;
import org.oisrstream.model.net.ModelSpec;
import org.oisrstream.model.net.Variant;
import org.oisrstream.model.quality.BicubicUpscaler;
import org.oisrstream.model.weights.StateDict;
import org.oisrstream.model.weights.WeightsFiles;

/**
 * Builds the upscaler a command asked for: the bicubic baseline, or an OISR network variant. This is the one place
 * where model names meet implementations.
 */
public final class UpscalerFactory {

    /** Model names accepted by {@code --model}, in the order of the paper's tables. */
    public static final List<String> MODELS = Stream.concat(Stream.of("bicubic"),
            Arrays.stream(Variant.values()).map(Variant::cliName)).toList();

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
     * @throws IOException              when the weights file cannot be read (the message names it)
     */
    public static Built create(Request request) throws IOException {
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

    /** An OISR network: weights from {@code --weights}, else the ones shipped for the spec, else an error. */
    private static Built network(String model, Request request) throws IOException {
        ModelSpec spec = new ModelSpec(Variant.parse(model), request.scale());
        OisrUpscaler.Builder builder = OisrUpscaler.builder(spec)
                .weights(weights(spec, request.weights()))
                .device(request.device() == null ? "auto" : request.device())
                .precision(request.precision() == null ? "fp32" : request.precision());
        if (request.tile() != null) {
            builder.tile(request.tile());
        }
        OisrUpscaler upscaler = builder.build();
        return new Built(upscaler, paperName(spec.variant()), upscaler.device() + " (" + upscaler.precision() + ")",
                List.of());
    }

    private static StateDict weights(ModelSpec spec, Path file) throws IOException {
        if (file != null) {
            return WeightsFiles.read(file);
        }
        Optional<URL> shipped = DefaultWeights.find(spec);
        if (shipped.isEmpty()) {
            throw new IllegalArgumentException("no trained weights ship for " + spec.describe() + " in this build:"
                    + " give --weights FILE");
        }
        URL url = shipped.get();
        if (url.getProtocol().equals("file")) {
            try {
                return WeightsFiles.read(Path.of(url.toURI()));
            } catch (URISyntaxException e) {
                throw new IOException("bad weights resource " + url, e);
            }
        }
        // Inside a jar: the readers need a file.
        Path copy = Files.createTempFile("oisr-" + spec.variant().cliName() + "-x" + spec.scale(), ".safetensors");
        try (InputStream in = url.openStream()) {
            Files.copy(in, copy, StandardCopyOption.REPLACE_EXISTING);
            return WeightsFiles.read(copy);
        } finally {
            Files.deleteIfExists(copy);
        }
    }

    /** The paper's name, e.g. {@code lf-s} is {@code OISR-LF-s}. */
    static String paperName(Variant variant) {
        String name = variant.cliName().toUpperCase(Locale.ROOT);
        return "OISR-" + (name.endsWith("-S") ? name.substring(0, name.length() - 2) + "-s" : name);
    }
}
