package org.oisrstream.jobs.live;

/**
 * One media segment of an HLS playlist: one chunk of a stream.
 *
 * @param sequence       the chunk's sequence number
 * @param uri            the segment's file name, relative to the playlist
 * @param startMicros    the chunk's start on the stream timeline ({@code oisr.start-us})
 * @param durationMicros the chunk's duration ({@code oisr.duration-us}), the {@code #EXTINF}
 * @param frames         video frames in the segment
 * @param discontinuity  the segment does not continue the previous one's timeline ({@code #EXT-X-DISCONTINUITY})
 * @param playableAtMillis wall-clock time (epoch ms) when the playlist listing it was in place
 */
public record HlsSegment(long sequence, String uri, long startMicros, long durationMicros, int frames,
                         boolean discontinuity, long playableAtMillis) {

    public long endMicros() {
        return startMicros + durationMicros;
    }
}
