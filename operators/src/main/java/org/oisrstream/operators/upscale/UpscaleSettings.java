package org.oisrstream.operators.upscale;

import java.io.Serializable;
import java.util.Objects;
import org.oisrstream.operators.infer.InferenceService;
import org.oisrstream.operators.infer.UpscalerSpec;

/**
 * What the upscaling operator needs on the TaskManager.
 *
 * @param upscaler         model, scale, weights, device, precision, tiling
 * @param batching         how the shared inference service batches frames
 * @param chunksInFlight   chunks one operator instance works on at once (its async capacity and thread count)
 * @param framesInFlight   decoded frames one operator instance holds at once, input and upscaled together
 * @param maxRecordBytes   the largest record the sink may write; a larger upscaled chunk goes to the dead letters
 */
public record UpscaleSettings(UpscalerSpec upscaler, InferenceService.Settings batching,
                              int chunksInFlight, int framesInFlight, int maxRecordBytes) implements Serializable {

    public UpscaleSettings {
        Objects.requireNonNull(upscaler, "upscaler");
        Objects.requireNonNull(batching, "batching");
        if (chunksInFlight < 1) {
            throw new IllegalArgumentException("chunks in flight must be >= 1, got " + chunksInFlight);
        }
        if (framesInFlight < 2) {
            throw new IllegalArgumentException("frames in flight must be >= 2, got " + framesInFlight);
        }
        if (maxRecordBytes < 1024) {
            throw new IllegalArgumentException("max record size must be >= 1 KiB, got " + maxRecordBytes);
        }
    }
}
