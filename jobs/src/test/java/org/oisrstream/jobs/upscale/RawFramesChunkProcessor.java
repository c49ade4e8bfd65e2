package org.oisrstream.jobs.upscale;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.oisrstream.model.image.RgbImage;
import org.oisrstream.operators.kafka.ChunkRecord;
import org.oisrstream.operators.media.ChunkMetadata;
import org.oisrstream.operators.upscale.ChunkProcessor;
import org.oisrstream.operators.upscale.FrameUpscaler;

/**
 * Chunks of uncompressed frames ({@code int width, int height, int count}, then RGB pixels), so the Flink/Kafka
 * side of the job can be tested exactly and fast, without a codec. A payload that does not parse fails the chunk.
 */
final class RawFramesChunkProcessor implements ChunkProcessor {

    static final String FORMAT = "raw-rgb";

    static byte[] encode(List<RgbImage> frames) {
        RgbImage first = frames.get(0);
        ByteBuffer buf = ByteBuffer.allocate(12 + frames.size() * first.pixels().length);
        buf.putInt(first.width()).putInt(first.height()).putInt(frames.size());
        frames.forEach(f -> buf.put(f.pixels()));
        return buf.array();
    }

    static List<RgbImage> decode(byte[] payload) {
        ByteBuffer buf = ByteBuffer.wrap(payload);
        if (payload.length < 12) {
            throw new IllegalArgumentException("raw chunk of " + payload.length + " bytes has no header");
        }
        int w = buf.getInt();
        int h = buf.getInt();
        int n = buf.getInt();
        if (w <= 0 || h <= 0 || n <= 0 || (long) w * h * 3 * n != payload.length - 12) {
            throw new IllegalArgumentException("raw chunk header " + w + "x" + h + "x" + n + " does not match "
                    + payload.length + " bytes");
        }
        List<RgbImage> frames = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            byte[] px = new byte[w * h * 3];
            buf.get(px);
            frames.add(new RgbImage(w, h, px));
        }
        return frames;
    }

    @Override
    public ChunkRecord process(ChunkRecord input, FrameUpscaler frames) throws Exception {
        List<RgbImage> in = decode(input.payload());
        List<RgbImage> out = new ArrayList<>(in.size());
        // Two frames per call, like a transcoder that feeds the model while it decodes.
        for (int i = 0; i < in.size(); i += 2) {
            out.addAll(frames.upscale(in.subList(i, Math.min(in.size(), i + 2))));
        }
        ChunkMetadata m = input.metadata();
        return input.processed(new ChunkMetadata(m.streamId(), m.sequence(), m.last(), m.startPtsMicros(),
                m.durationMicros(), out.size(), FORMAT, out.get(0).width(), out.get(0).height(), m.sourceFrames()),
                encode(out));
    }
}
