package org.oisrstream.operators.upscale;

import java.io.Serializable;
import org.oisrstream.operators.kafka.ChunkRecord;

/**
 * Turns one input chunk into its upscaled chunk: decode, send every frame through {@code frames}, encode with
 * the processor's own encoder settings. The job uses {@link MediaChunkProcessor}; the seam lets tests run the
 * Flink job on simpler chunk formats.
 */
@FunctionalInterface
public interface ChunkProcessor extends Serializable {

    /**
     * Returns the upscaled chunk (same stream, sequence and timing; new payload, container and frame count).
     * Throws when the chunk cannot be processed; the operator then sends it to the dead-letter topic.
     */
    ChunkRecord process(ChunkRecord input, FrameUpscaler frames) throws Exception;
}
