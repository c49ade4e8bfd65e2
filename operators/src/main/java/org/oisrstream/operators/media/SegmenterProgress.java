package org.oisrstream.operators.media;

/**
 * Progress of a {@link VideoSegmenter}, reported after each chunk is cut.
 *
 * @param chunks         chunks cut so far
 * @param frames         video frames put into those chunks
 * @param positionMicros stream time reached
 * @param done           the source has ended and this was the last chunk
 * @param source         the source being cut (its frame count and duration may be unknown: -1)
 */
public record SegmenterProgress(long chunks, long frames, long positionMicros, boolean done, SourceInfo source) {

    /** Fraction done in [0, 1]: 1 when done, else by time or frames, -1 when the length is unknown (live). */
    public double fraction() {
        if (done) {
            return 1.0;
        }
        if (source.durationMicros() > 0) {
            return Math.min(1.0, (double) positionMicros / source.durationMicros());
        }
        if (source.frameCount() > 0) {
            return Math.min(1.0, (double) frames / source.frameCount());
        }
        return -1;
    }
}
