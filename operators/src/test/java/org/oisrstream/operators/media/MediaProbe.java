package org.oisrstream.operators.media;

import static org.bytedeco.ffmpeg.global.avcodec.AV_PKT_FLAG_KEY;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_alloc;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_free;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_unref;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_get_name;
import static org.bytedeco.ffmpeg.global.avutil.AVMEDIA_TYPE_AUDIO;
import static org.bytedeco.ffmpeg.global.avutil.AVMEDIA_TYPE_VIDEO;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.oisrstream.model.image.RgbImage;

/** Test helper: what a media file or chunk holds, packet by packet, and its decoded frames. */
final class MediaProbe {

    record Summary(String container, String videoCodec, int width, int height, List<Long> videoPtsMicros,
            List<Boolean> videoKey, String audioCodec, int audioStreams, List<Long> audioPtsMicros) {

        List<Long> sortedVideoPts() {
            return videoPtsMicros.stream().sorted().toList();
        }
    }

    record Frame(RgbImage image, long ptsMicros) {
    }

    private MediaProbe() {
    }

    static Summary probe(Path file) throws Exception {
        try (Demuxer d = Demuxer.open(file.toString(), null, java.util.Map.of())) {
            return summarise(d);
        }
    }

    /** A chunk: MPEG-TS (starts with sync byte 0x47) or Matroska. */
    static ChunkFormat formatOf(byte[] bytes) {
        return bytes.length > 0 && bytes[0] == 0x47 ? ChunkFormat.MPEGTS : ChunkFormat.MATROSKA;
    }

    static Summary probe(byte[] bytes) {
        try (Demuxer d = Demuxer.open(bytes, formatOf(bytes), "probe", null)) {
            return summarise(d);
        }
    }

    private static Summary summarise(Demuxer d) {
        {
            int video = -1;
            int audioStreams = 0;
            String audioCodec = null;
            for (int i = 0; i < d.streamCount(); i++) {
                int type = d.stream(i).codecpar().codec_type();
                if (type == AVMEDIA_TYPE_VIDEO && video < 0) {
                    video = i;
                } else if (type == AVMEDIA_TYPE_AUDIO) {
                    audioStreams++;
                    if (audioCodec == null) {
                        audioCodec = avcodec_get_name(d.stream(i).codecpar().codec_id()).getString();
                    }
                }
            }
            if (video < 0) {
                throw new MediaException("probe: no video stream");
            }
            List<Long> vpts = new ArrayList<>();
            List<Boolean> key = new ArrayList<>();
            List<Long> apts = new ArrayList<>();
            AVPacket p = av_packet_alloc();
            while (d.read(p)) {
                var st = d.stream(p.stream_index());
                if (p.stream_index() == video) {
                    vpts.add(Av.toMicros(p.pts(), st.time_base()));
                    key.add((p.flags() & AV_PKT_FLAG_KEY) != 0);
                } else if (st.codecpar().codec_type() == AVMEDIA_TYPE_AUDIO) {
                    apts.add(Av.toMicros(p.pts(), st.time_base()));
                }
                av_packet_unref(p);
            }
            av_packet_free(p);
            var vp = d.stream(video).codecpar();
            return new Summary(d.context().iformat().name().getString(), avcodec_get_name(vp.codec_id()).getString(),
                    vp.width(), vp.height(), vpts, key, audioCodec, audioStreams, apts);
        }
    }

    static List<Frame> decode(byte[] bytes) {
        List<Frame> frames = new ArrayList<>();
        try (Demuxer d = Demuxer.open(bytes, formatOf(bytes), "decode", null)) {
            int video = -1;
            for (int i = 0; i < d.streamCount() && video < 0; i++) {
                if (d.stream(i).codecpar().codec_type() == AVMEDIA_TYPE_VIDEO) {
                    video = i;
                }
            }
            var tb = d.stream(video).time_base();
            AVPacket p = av_packet_alloc();
            try (VideoDecoder dec = new VideoDecoder(d.stream(video), 1, "decode")) {
                while (d.read(p)) {
                    if (p.stream_index() == video) {
                        dec.decode(p, f -> frames.add(new Frame(f.image(), Av.toMicros(f.pts(), tb))));
                    }
                    av_packet_unref(p);
                }
                dec.decode(null, f -> frames.add(new Frame(f.image(), Av.toMicros(f.pts(), tb))));
            } finally {
                av_packet_free(p);
            }
        }
        return frames;
    }
}
