package org.oisrstream.model.infer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Stream;
import org.oisrstream.model.net.ModelSpec;
import org.oisrstream.model.net.Variant;
import org.oisrstream.model.quality.BicubicUpscaler;
import org.oisrstream.model.weights.StateDict;

/**
 * The one place where upscaler names meet implementations, used by every command and the streaming job:
 * {@code nearest} (pixel replication) and {@code bicubic} (MATLAB's {@code imresize}) are CPU baselines in Java; the
 * OISR networks ({@link Variant}: {@code lf-s}, {@code rk2-s}, {@code lf}, {@code rk2}, {@code rk3}) run through
 * LibTorch with the weights of a file or those shipped for the variant and scale. The x8 self-ensemble wraps any of
 * them. Help texts, completion candidates and {@code oisr info} are generated from here.
 */
public final class Upscalers {

    public static final String NEAREST = "nearest";
    public static final String BICUBIC = "bicubic";
    /** The model the commands use when none is named. */
    public static final String DEFAULT_MODEL = "lf-s";
    /** Scales the Java baselines accept; the networks take {@link ModelSpec#SCALES}. */
    public static final int MIN_BASELINE_SCALE = 2;
    public static final int MAX_BASELINE_SCALE = 8;

    private static final List<String> BASELINES = List.of(NEAREST, BICUBIC);
    private static final List<String> NAMES = Stream.concat(BASELINES.stream(),
            Arrays.stream(Variant.values()).map(Variant::cliName)).toList();

    private Upscalers() {
    }

    /** Every name, the baselines first, then the networks in the paper's order. */
    public static List<String> names() {
        return NAMES;
    }

    /** The names of the Java baselines, which have no weights, device or precision. */
    public static List<String> baselines() {
        return BASELINES;
    }

    /** The networks, in the paper's order. */
    public static List<Variant> networks() {
        return List.of(Variant.values());
    }

    /** {@code name} normalised; {@link IllegalArgumentException} naming every known upscaler if it is not one. */
    public static String canonical(String name) {
        String wanted = name.strip().toLowerCase(Locale.ROOT).replace('_', '-');
        if (!NAMES.contains(wanted)) {
            throw new IllegalArgumentException("unknown model '" + name + "' (expected one of "
                    + String.join(", ", NAMES) + ")");
        }
        return wanted;
    }

    /** The network {@code name} stands for; empty for a baseline. */
    public static Optional<Variant> network(String name) {
        String canonical = canonical(name);
        return BASELINES.contains(canonical) ? Optional.empty() : Optional.of(Variant.parse(canonical));
    }

    public static boolean isNetwork(String name) {
        return network(name).isPresent();
    }

    /** The name the paper's tables use: {@code Bicubic}, {@code Nearest}, {@code OISR-LF-s}, {@code OISR-RK3}. */
    public static String paperName(String name) {
        Optional<Variant> variant = network(name);
        if (variant.isEmpty()) {
            String canonical = canonical(name);
            return canonical.substring(0, 1).toUpperCase(Locale.ROOT) + canonical.substring(1);
        }
        String upper = variant.get().cliName().toUpperCase(Locale.ROOT);
        return "OISR-" + (upper.endsWith("-S") ? upper.substring(0, upper.length() - 2) + "-s" : upper);
    }

    /**
     * Checks that {@code request} names a known upscaler with what it needs (a scale it supports; for a network a
     * device and precision that parse and a readable weights file or shipped weights) without loading anything.
     *
     * @throws IllegalArgumentException with a one-line reason
     */
    public static void check(UpscalerRequest request) {
        Optional<ModelSpec> network = modelSpec(request);
        if (network.isEmpty()) {
            return;
        }
        ComputeDevice.parse(request.device());
        Precision.check(request.precision());
        Path file = request.weights();
        if (file != null) {
            if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
                throw new IllegalArgumentException("weights file " + file + " does not exist or is not readable");
            }
        } else if (DefaultWeights.find(network.get()).isEmpty()) {
            throw new IllegalArgumentException(noShippedWeights(network.get()));
        }
    }

    /**
     * The network and scale {@code request} names, checked; empty for a baseline (whose scale is checked too).
     *
     * @throws IllegalArgumentException for an unknown name or an unsupported scale
     */
    public static Optional<ModelSpec> modelSpec(UpscalerRequest request) {
        Optional<Variant> variant = network(request.model());
        int scale = request.scale();
        if (variant.isPresent() ? !ModelSpec.SCALES.contains(scale)
                : scale < MIN_BASELINE_SCALE || scale > MAX_BASELINE_SCALE) {
            throw new IllegalArgumentException("unsupported scale " + scale + " for " + canonical(request.model())
                    + " (expected " + (variant.isPresent() ? "2, 3 or 4" : MIN_BASELINE_SCALE + " to "
                    + MAX_BASELINE_SCALE) + ")");
        }
        return variant.map(v -> new ModelSpec(v, scale));
    }

    /**
     * Builds the upscaler (on the calling thread, which then owns its device), wrapped in the x8 self-ensemble if
     * asked for.
     *
     * @throws IllegalArgumentException for what {@link #check} refuses, weights that do not fit the network, or a
     *                                  precision the device cannot run
     * @throws UncheckedIOException     when the weights file cannot be read (the message names it)
     */
    public static ImageUpscaler create(UpscalerRequest request) {
        check(request);
        ImageUpscaler upscaler = switch (canonical(request.model())) {
            case NEAREST -> new NearestNeighbourUpscaler(request.scale());
            case BICUBIC -> new BicubicUpscaler(request.scale());
            default -> builder(request).weights(weights(request)).build();
        };
        return request.selfEnsemble() ? new SelfEnsembleUpscaler(upscaler) : upscaler;
    }

    /**
     * The builder of the network {@code request} names with every option but the weights applied, for callers that
     * need an {@link OisrUpscaler} itself (a benchmark with random weights, a second build with other tiles).
     *
     * @throws IllegalArgumentException for a baseline, an unknown name or an unsupported scale, device or precision
     */
    public static OisrUpscaler.Builder builder(UpscalerRequest request) {
        ModelSpec spec = modelSpec(request).orElseThrow(() -> new IllegalArgumentException(
                canonical(request.model()) + " is not a network (expected one of " + Variant.names() + ")"));
        OisrUpscaler.Builder builder = OisrUpscaler.builder(spec).device(request.device())
                .precision(request.precision()).layout(request.layout()).threads(request.threads())
                .overlap(request.overlap()).maxBatch(request.maxBatch());
        if (request.tile() != UpscalerRequest.AUTO_TILE) {
            builder.tile(request.tile());
        }
        return builder;
    }

    /** The weights of the network {@code request} names: its file, else the ones shipped for it. */
    public static StateDict weights(UpscalerRequest request) {
        ModelSpec spec = modelSpec(request).orElseThrow(() -> new IllegalArgumentException(
                canonical(request.model()) + " has no weights"));
        try {
            return DefaultWeights.fileOrShipped(spec, request.weights())
                    .orElseThrow(() -> new IllegalArgumentException(noShippedWeights(spec)));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read weights " + (request.weights() == null ? "for "
                    + spec.describe() : request.weights().toString()) + ": " + e.getMessage(), e);
        }
    }

    private static String noShippedWeights(ModelSpec spec) {
        return "no trained weights ship for " + spec.describe() + " yet; pass --weights FILE (safetensors or PyTorch"
                + " .pt/.pth), or use --model " + BICUBIC;
    }
}
