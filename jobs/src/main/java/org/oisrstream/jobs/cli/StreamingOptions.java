package org.oisrstream.jobs.cli;

import java.time.Duration;
import org.oisrstream.jobs.upscale.UpscaleJobParameters;
import org.oisrstream.model.cli.BatchOption;
import org.oisrstream.model.cli.DeviceOptions;
import org.oisrstream.model.cli.ModelOptions;
import org.oisrstream.model.cli.Options;
import org.oisrstream.model.cli.TileOption;
import org.oisrstream.model.cli.WeightsOption;
import org.oisrstream.model.infer.Upscalers;
import org.oisrstream.operators.infer.InferenceService;
import org.oisrstream.operators.infer.UpscalerSpec;
import picocli.CommandLine;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The options of the streaming job shared by {@code oisr job} and {@code oisr upscale}: the shared model, weights,
 * device, tile, batch and encoder groups, the async operator's limits, the record size, the Kafka client settings
 * and the decode limits.
 */
public final class StreamingOptions {

    @Mixin
    ModelOptions model;

    @Mixin
    WeightsOption weights;

    @Mixin
    DeviceOptions device;

    @Mixin
    TileOption tile;

    @Mixin
    BatchOption batch;

    @Mixin
    EncoderOptions encoder;

    @Mixin
    RecordSizeOption records;

    @Mixin
    KafkaClientOptions kafka;

    @Mixin
    DecodeLimitOptions limits;

    @Option(names = "--max-wait-ms", defaultValue = "5", paramLabel = "MS", description = "Longest wait for a batch to fill (default: ${DEFAULT-VALUE}).")
    long maxWaitMs;

    @Option(names = "--chunks-in-flight", defaultValue = "2", paramLabel = "N", description = "Chunks one operator instance upscales at once (default: ${DEFAULT-VALUE}).")
    int chunksInFlight;

    @Option(names = "--frames-in-flight", defaultValue = "16", paramLabel = "N", description = "Decoded frames one operator instance holds at most (default: ${DEFAULT-VALUE}).")
    int framesInFlight;

    /** The upscaler spec, checked by the registry (name, scale, weights) without loading anything. */
    UpscalerSpec spec(CommandLine cli) {
        return Options.parse(cli, () -> {
            UpscalerSpec spec = new UpscalerSpec(model.model(), model.scale(),
                    weights.weights() == null ? null : weights.weights().toString(), device.device(cli).toString(),
                    device.precision(cli), tile.tile(cli));
            Upscalers.check(spec.request(1));
            return spec;
        });
    }

    /** Applies these options to job parameters. */
    UpscaleJobParameters.Builder applyTo(UpscaleJobParameters.Builder b, CommandLine cli) {
        UpscalerSpec spec = spec(cli);
        return Options.parse(cli, () -> b.upscaler(spec)
                .batching(new InferenceService.Settings(batch.maxBatch(cli), Duration.ofMillis(maxWaitMs)))
                .chunksInFlight(chunksInFlight)
                .framesInFlight(framesInFlight)
                .encoder(encoder.settings(cli))
                .maxRecordBytes(records.maxRecordBytes)
                .kafka(kafka.config(cli))
                .limits(limits.limits(cli)));
    }
}
