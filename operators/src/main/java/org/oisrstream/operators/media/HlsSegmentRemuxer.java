package org.oisrstream.operators.media;

import static org.bytedeco.ffmpeg.global.avcodec.av_packet_alloc;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_free;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_unref;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_get_name;
import static org.bytedeco.ffmpeg.global.avutil.AVMEDIA_TYPE_AUDIO;
import static org.bytedeco.ffmpeg.global.avutil.AVMEDIA_TYPE_VIDEO;

import java.util.Map;
import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.ffmpeg.avformat.AVStream;

/**
 * Turns an input chunk (Matroska, as cut by {@link VideoSegmenter}) into an MPEG-TS segment a browser's HLS
 * player can play, without re-encoding: the video stream and the audio streams MPEG-TS carries are copied
 * with their stream-timeline timestamps (so source segments line up with the upscaled ones), other streams
 * are left out. An open-GOP chunk keeps the copy of the next chunk's keyframe that its leading pictures
 * reference ({@value VideoSegmenter#DISPLAY_END_TAG}); players show it once, where the next segment starts.
 */
public final class HlsSegmentRemuxer {

    private static final Map<String, String> MUXER_OPTIONS = Map.of("mpegts_copyts", "1");

    private HlsSegmentRemuxer() {
    }

    /**
     * @param chunk the chunk's bytes
     * @param name  names the chunk in error messages
     * @throws MediaException if the chunk is unreadable or its video codec cannot go into MPEG-TS
     */
    public static byte[] toMpegTs(byte[] chunk, String name) {
        AVPacket packet = av_packet_alloc();
        // Source chunks are Matroska by the protocol; nothing else is opened (docs/security.md).
        try (Demuxer input = Demuxer.open(chunk, ChunkFormat.MATROSKA, name, DecodeLimits.defaults());
             Muxer output = Muxer.toMemory(ChunkTranscoder.OUTPUT_FORMAT, chunk.length + (64 << 10))) {
            int[] outputIndex = new int[input.streamCount()];
            boolean video = false;
            for (int i = 0; i < input.streamCount(); i++) {
                AVStream s = input.stream(i);
                int type = s.codecpar().codec_type();
                int codec = s.codecpar().codec_id();
                boolean carried = type == AVMEDIA_TYPE_VIDEO ? !video && ChunkTranscoder.carriesVideo(codec)
                        : type == AVMEDIA_TYPE_AUDIO && ChunkTranscoder.carriesAudio(codec);
                if (type == AVMEDIA_TYPE_VIDEO && !video && !carried) {
                    throw new MediaException(name + ": video codec " + avcodec_get_name(codec).getString()
                            + " cannot be carried in an MPEG-TS segment");
                }
                video |= type == AVMEDIA_TYPE_VIDEO && carried;
                outputIndex[i] = carried ? output.addCopy(s.codecpar(), s.time_base()) : -1;
            }
            if (!video) {
                throw new MediaException(name + " has no video stream");
            }
            output.start(MUXER_OPTIONS);
            while (input.read(packet)) {
                int in = packet.stream_index();
                AVStream s = input.stream(in);
                if (outputIndex[in] >= 0) {
                    output.write(packet, s.time_base(), outputIndex[in]);
                }
                av_packet_unref(packet);
            }
            return output.finish();
        } finally {
            av_packet_free(packet);
        }
    }
}
