package org.oisrstream.operators.media;

import static org.bytedeco.ffmpeg.global.avformat.av_find_input_format;

import java.util.Map;
import org.bytedeco.ffmpeg.avformat.AVInputFormat;

/**
 * The only containers a chunk may be (docs/protocol.md): Matroska on the input topic, MPEG-TS on the output
 * topic. A chunk is opened with its demuxer forced, so FFmpeg never probes the bytes and the demuxers that open
 * further URLs (dash, hls, concat, sdp, rtp, image2, ...) cannot be chosen; a protocol whitelist that names no
 * protocol and a format whitelist that names only this container are the second and third wall.
 */
public enum ChunkFormat {
    /** Input chunks, cut by {@link VideoSegmenter}. */
    MATROSKA("matroska", "Matroska"),
    /** Output chunks, written by {@link ChunkTranscoder}. */
    MPEGTS("mpegts", "MPEG-TS");

    /** A protocol whitelist no protocol matches: an in-memory chunk may not open any URL. */
    static final String NO_PROTOCOLS = "none";

    private final String demuxer;
    private final String displayName;

    ChunkFormat(String demuxer, String displayName) {
        this.demuxer = demuxer;
        this.displayName = displayName;
    }

    /** The FFmpeg demuxer (and {@code oisr.container} header value) of this container. */
    public String demuxer() {
        return demuxer;
    }

    public String displayName() {
        return displayName;
    }

    /** The chunk format whose {@code oisr.container} header value is {@code name}, or null. */
    public static ChunkFormat ofContainer(String name) {
        for (ChunkFormat f : values()) {
            if (f.demuxer.equals(name)) {
                return f;
            }
        }
        return null;
    }

    /**
     * Why {@code bytes} cannot be this container judging by its first bytes (Matroska's EBML magic, MPEG-TS sync
     * bytes every 188 bytes), or null if they can.
     */
    String signatureProblem(byte[] bytes) {
        if (this == MATROSKA) {
            boolean ebml = bytes.length >= 4 && (bytes[0] & 0xff) == 0x1a && (bytes[1] & 0xff) == 0x45
                    && (bytes[2] & 0xff) == 0xdf && (bytes[3] & 0xff) == 0xa3;
            return ebml ? null : "it does not start with the EBML header";
        }
        for (int i = 0; i < Math.min(bytes.length, 188 * 4); i += 188) {
            if (bytes[i] != 0x47) {
                return "no MPEG-TS sync byte at offset " + i;
            }
        }
        return null;
    }

    AVInputFormat inputFormat() {
        Av.init();
        AVInputFormat format = av_find_input_format(demuxer);
        if (format == null || format.isNull()) {
            throw new MediaException("this FFmpeg build has no " + demuxer + " demuxer");
        }
        return format;
    }

    /** Options for {@code avformat_open_input}: no nested protocol at all, no other container. */
    Map<String, String> openOptions() {
        return Map.of("protocol_whitelist", NO_PROTOCOLS, "format_whitelist", demuxer);
    }
}
