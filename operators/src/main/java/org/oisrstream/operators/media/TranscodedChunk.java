package org.oisrstream.operators.media;

/**
 * An upscaled chunk from {@link ChunkTranscoder}: an MPEG-TS segment with the re-encoded video and the
 * input's audio packets, stamped with the input's timestamps.
 *
 * @param data           the MPEG-TS bytes
 * @param frameCount     video frames encoded (equals the frames decoded from the input)
 * @param inputPackets   video packets in the input chunk (a healthy chunk decodes to as many frames)
 * @param width          output width
 * @param height         output height
 * @param startPtsMicros presentation time of the first frame (same as in the input chunk)
 * @param durationMicros from the first frame to the end of the last one
 * @param audioPackets   audio packets copied from the input
 */
public record TranscodedChunk(byte[] data, int frameCount, int inputPackets, int width, int height,
        long startPtsMicros, long durationMicros, int audioPackets) {

    @Override
    public String toString() {
        return "TranscodedChunk[" + data.length + " bytes, " + frameCount + " frames " + width + "x" + height
                + ", start=" + startPtsMicros + "us, duration=" + durationMicros + "us, audio=" + audioPackets + "]";
    }
}
