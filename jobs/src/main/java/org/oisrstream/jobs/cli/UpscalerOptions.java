package org.oisrstream.jobs.cli;

import java.time.Duration;
import org.oisrstream.jobs.upscale.UpscaleJobParameters;
import org.oisrstream.operators.infer.InferenceService;
import org.oisrstream.operators.infer.UpscalerFactory;
import org.oisrstream.operators.infer.UpscalerSpec;
import org.oisrstream.operators.media.EncoderSettings;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/** Model, inference and encoder options shared by {@code oisr job} and {@code oisr upscale}. */
public final class UpscalerOptions {

    @Option(names = "--model", defaultValue = "lf-s", paramLabel = "NAME",
            description = "Upscaler: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).",
            completionCandidates = ModelNames.class)
    String model;

    @Option(names = "--scale", defaultValue = "4", paramLabel = "N", description = "Scale factor (default: ${DEFAULT-VALUE}).")
    int scale;

    @Option(names = "--weights", paramLabel = "FILE", description = "Weights file of an OISR model (default: the weights shipped for the model and scale, if any).")
    String weights;

    @Option(names = "--device", defaultValue = "auto", paramLabel = "DEV", description = "auto, cpu, cuda or cuda:N (default: ${DEFAULT-VALUE}).")
    String device;

    @Option(names = "--precision", defaultValue = "fp32", paramLabel = "P", description = "fp32, fp16 or bf16 (default: ${DEFAULT-VALUE}).")
    String precision;

    @Option(names = "--tile", defaultValue = "0", paramLabel = "PX", description = "Tile size in input pixels, 0 = whole frames (default: ${DEFAULT-VALUE}).")
    int tile;

    @Option(names = "--max-batch", defaultValue = "8", paramLabel = "N", description = "Largest inference batch in frames (default: ${DEFAULT-VALUE}).")
    int maxBatch;

    @Option(names = "--max-wait-ms", defaultValue = "5", paramLabel = "MS", description = "Longest wait for a batch to fill (default: ${DEFAULT-VALUE}).")
    long maxWaitMs;

    @Option(names = "--chunks-in-flight", defaultValue = "2", paramLabel = "N", description = "Chunks one operator instance upscales at once (default: ${DEFAULT-VALUE}).")
    int chunksInFlight;

    @Option(names = "--frames-in-flight", defaultValue = "16", paramLabel = "N", description = "Decoded frames one operator instance holds at most (default: ${DEFAULT-VALUE}).")
    int framesInFlight;

    @Option(names = "--codec", defaultValue = EncoderSettings.DEFAULT_CODEC, paramLabel = "NAME", description = "Video encoder (default: ${DEFAULT-VALUE}).")
    String codec;

    @Option(names = "--quality", defaultValue = "" + EncoderSettings.DEFAULT_QUALITY, paramLabel = "Q", description = "Constant quality (QP/CRF; lower is better; default: ${DEFAULT-VALUE}).")
    int quality;

    @Option(names = "--preset", paramLabel = "NAME", description = "Encoder speed preset, if the encoder has them.")
    String preset;

    static final class ModelNames implements Iterable<String> {
        @Override
        public java.util.Iterator<String> iterator() {
            return UpscalerFactory.MODELS.iterator();
        }
    }

    /** The upscaler spec, checked (name, weights) without loading anything. */
    UpscalerSpec spec(CommandLine cli) {
        try {
            UpscalerSpec spec = new UpscalerSpec(model, scale, weights, device, precision, tile);
            UpscalerFactory.check(spec);
            return spec;
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(cli, e.getMessage());
        }
    }

    /** Applies these options to job parameters. */
    UpscaleJobParameters.Builder applyTo(UpscaleJobParameters.Builder b, CommandLine cli) {
        try {
            return b.upscaler(spec(cli))
                    .batching(new InferenceService.Settings(maxBatch, Duration.ofMillis(maxWaitMs)))
                    .chunksInFlight(chunksInFlight)
                    .framesInFlight(framesInFlight)
                    .encoder(EncoderSettings.builder().codec(codec).quality(quality).preset(preset).build());
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(cli, e.getMessage());
        }
    }
}
