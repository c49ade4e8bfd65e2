package org.oisrstream.model.cli;

import org.oisrstream.model.infer.UpscalerRequest;
import org.oisrstream.model.infer.Upscalers;
import picocli.CommandLine;
import picocli.CommandLine.Mixin;

/**
 * Every option of an upscaler built in this process ({@code oisr image}, {@code oisr eval}): model, weights,
 * device and precision, tiles and batch, layout, overlap and threads.
 */
public final class LocalUpscalerOptions {

    @Mixin
    public ModelOptions model;

    @Mixin
    public WeightsOption weights;

    @Mixin
    public DeviceOptions device;

    @Mixin
    public TileOption tile;

    @Mixin
    public BatchOption batch;

    @Mixin
    public TuningOptions tuning;

    @Mixin
    public ThreadsOption threads;

    /** The request, checked by the registry without loading anything; a bad value is a bad option. */
    public UpscalerRequest request(CommandLine cli, boolean selfEnsemble) {
        UpscalerRequest request = Options.parse(cli, () -> UpscalerRequest.builder(model.model(), model.scale())
                .weights(weights.weights()).device(device.device(cli).toString()).precision(device.precision(cli))
                .tile(tile.tile(cli)).maxBatch(batch.maxBatch(cli)).overlap(tuning.overlap(cli))
                .layout(tuning.layout(cli)).threads(threads.threads(cli)).selfEnsemble(selfEnsemble).build());
        Options.parse(cli, () -> {
            Upscalers.check(request);
            return request;
        });
        return request;
    }
}
