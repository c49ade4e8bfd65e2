package org.oisrstream.jobs.cli;

import java.time.Duration;
import org.oisrstream.jobs.upscale.UpscaleJobParameters;
import org.oisrstream.operators.infer.InferenceService;
import org.oisrstream.operators.infer.UpscalerFactory;
import org.oisrstream.operators.infer.UpscalerSpec;
import org.oisrstream.operators.media.ChunkTranscoder;
import org.oisrstream.operators.media.EncoderSettings;
import org.oisrstream.operators.media.MediaException;
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

    @Option(names = "--precision", defaultValue = "auto", paramLabel = "P",
            description = "auto (bf16 on CPUs with native bf16, fp16 on CUDA, else fp32), fp32, fp16 or bf16"
                    + " (default: ${DEFAULT-VALUE}).")
    String precision;

    @Option(names = "--tile", defaultValue = "auto", paramLabel = "PX",
            description = "Network tile side in input pixels; 0 = whole frames; auto = whole frames if they fit the"
                    + " memory budget, else tiles (default: ${DEFAULT-VALUE}).")
    String tile;

    @Option(names = "--max-batch", defaultValue = "8", paramLabel = "N",
            description = "Largest inference batch in frames; on the CPU frames of 128x128 input pixels or more run"
                    + " one at a time anyway, on CUDA as many as fit in free memory (default: ${DEFAULT-VALUE}).")
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
            UpscalerSpec spec = new UpscalerSpec(model, scale, weights, device, precision, tileSize());
            UpscalerFactory.check(spec);
            return spec;
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(cli, e.getMessage());
        }
    }

    private int tileSize() {
        if (tile.equalsIgnoreCase("auto")) {
            return UpscalerSpec.AUTO_TILE;
        }
        try {
            int size = Integer.parseInt(tile.strip());
            if (size >= 0) {
                return size;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException("--tile must be auto, 0 or a positive number of input pixels, got '"
                + tile + "'");
    }

    /** Applies these options to job parameters. */
    UpscaleJobParameters.Builder applyTo(UpscaleJobParameters.Builder b, CommandLine cli) {
        try {
            EncoderSettings encoder = EncoderSettings.builder().codec(codec).quality(quality).preset(preset).build();
            // These commands encode on this machine: a codec or option it cannot open fails here, not per chunk.
            new ChunkTranscoder(encoder).checkEncoder();
            return b.upscaler(spec(cli))
                    .batching(new InferenceService.Settings(maxBatch, Duration.ofMillis(maxWaitMs)))
                    .chunksInFlight(chunksInFlight)
                    .framesInFlight(framesInFlight)
                    .encoder(encoder);
        } catch (IllegalArgumentException | MediaException e) {
            throw new CommandLine.ParameterException(cli, e.getMessage());
        }
    }
}
