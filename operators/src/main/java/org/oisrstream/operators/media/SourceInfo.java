package org.oisrstream.operators.media;

/**
 * What a video source holds, known after opening it, for progress bars and output sizing.
 *
 * @param source         the path, URL or device as given
 * @param container      FFmpeg's demuxer name, e.g. "mov,mp4,m4a,3gp,3g2,mj2", "matroska,webm", "rtsp"
 * @param width          video width in pixels
 * @param height         video height in pixels
 * @param frameRate      average frame rate (frames per second); 0 if the source does not say
 * @param videoCodec     FFmpeg codec name of the video stream, e.g. "h264"
 * @param audioCodec     FFmpeg codec name of the first audio stream, or null without audio
 * @param audioStreams   number of audio streams carried into chunks
 * @param subtitleStreams number of subtitle streams carried into chunks
 * @param durationMicros duration in microseconds, or -1 if unknown (live sources)
 * @param frameCount     video frames: from the container if it says, else duration x frame rate rounded;
 *                       -1 if unknown. Use it for progress, not for checks.
 */
public record SourceInfo(String source, String container, int width, int height, double frameRate,
        String videoCodec, String audioCodec, int audioStreams, int subtitleStreams, long durationMicros,
        long frameCount) {

    public boolean hasAudio() {
        return audioStreams > 0;
    }
}
