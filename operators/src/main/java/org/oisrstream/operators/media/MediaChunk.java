package org.oisrstream.operators.media;

/**
 * One self-contained media segment of a stream, as cut by {@link VideoSegmenter}: a Matroska file in
 * memory that starts at a video keyframe and holds that span's video, audio and subtitle packets, copied
 * from the source without re-encoding. See {@code docs/protocol.md} for how chunks travel through Kafka.
 *
 * @param sequence       0-based position of the chunk in its stream
 * @param last           true for the final chunk of a stream (the source ended)
 * @param data           the Matroska bytes
 * @param startPtsMicros presentation time of the chunk's first video frame on the stream timeline, which
 *                       starts at 0 with the first video keyframe of the source
 * @param durationMicros time until the next chunk's first frame (for the last chunk: until the end of its
 *                       last frame)
 * @param frameCount     video frames the chunk displays; it holds one more video packet when it ends before an
 *                       open-GOP keyframe (see {@link VideoSegmenter#DISPLAY_END_TAG})
 * @param audioPackets   audio packets in the chunk
 */
public record MediaChunk(long sequence, boolean last, byte[] data, long startPtsMicros, long durationMicros,
        int frameCount, int audioPackets) {

    @Override
    public String toString() {
        return "MediaChunk[seq=" + sequence + (last ? ", last" : "") + ", " + data.length + " bytes, start="
                + startPtsMicros + "us, duration=" + durationMicros + "us, frames=" + frameCount + ", audio="
                + audioPackets + "]";
    }
}
