package org.oisrstream.operators.upscale;

import java.util.List;
import java.util.Objects;
import java.util.concurrent.CancellationException;
import org.oisrstream.model.image.RgbImage;
import org.oisrstream.operators.kafka.ChunkRecord;
import org.oisrstream.operators.media.ChunkTranscoder;
import org.oisrstream.operators.media.DecodeLimits;
import org.oisrstream.operators.media.EncoderSettings;
import org.oisrstream.operators.media.TranscodedChunk;

/**
 * Upscales chunks with the media {@link ChunkTranscoder}: decode the segment, send the frames in batches through
 * the shared inference service, encode to MPEG-TS, copy the audio.
 */
public final class MediaChunkProcessor implements ChunkProcessor {

    private final ChunkTranscoder transcoder;

    /**
     * @param encoder        how the upscaled video is encoded
     * @param framesPerBatch decoded frames a chunk sends to the model at once (and so holds, with as many upscaled)
     */
    public MediaChunkProcessor(EncoderSettings encoder, int framesPerBatch) {
        this(encoder, framesPerBatch, DecodeLimits.defaults(), 0);
    }

    /**
     * @param limits      what a chunk may ask for; a chunk over them is refused before it is decoded
     * @param outputScale the upscaler's factor (0 if unknown), so the upscaled size is checked against the
     *                    encoder before any frame is decoded
     */
    public MediaChunkProcessor(EncoderSettings encoder, int framesPerBatch, DecodeLimits limits, int outputScale) {
        this.transcoder = new ChunkTranscoder(Objects.requireNonNull(encoder, "encoder"), framesPerBatch, limits,
                outputScale);
    }

    public EncoderSettings encoder() {
        return transcoder.settings();
    }

    public ChunkTranscoder transcoder() {
        return transcoder;
    }

    @Override
    public ChunkRecord process(ChunkRecord input, FrameUpscaler frames) {
        TranscodedChunk out = transcoder.transcode(input.payload(), input.metadata(), frames.pipelined());
        return input.processed(input.metadata().forOutput(out), out.data());
    }
}
