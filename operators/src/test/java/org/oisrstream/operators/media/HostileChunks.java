package org.oisrstream.operators.media;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Test material, like {@link TestClips}: chunk values an attacker with write access to a chunk topic could send,
 * each made for an FFmpeg demuxer that opens further URLs when its input is probed (DASH, HLS, concat, SDP,
 * and the protocols they can name: file, http, data, subfile). With the container forced and no protocol
 * allowed, every one must be refused without reading a file or opening a socket (docs/security.md).
 */
public final class HostileChunks {

    private HostileChunks() {
    }

    /**
     * Every kind, by a name that says what it tries.
     *
     * @param secretDir a folder holding {@code secret.ts} (and whatever else) that no chunk may read
     * @param loopback  base URL of an HTTP server that no chunk may reach, e.g. {@code http://127.0.0.1:PORT/}
     * @param udpPort   a UDP port an SDP description asks FFmpeg to listen on
     */
    public static Map<String, byte[]> all(Path secretDir, String loopback, int udpPort) {
        String fileBase = secretDir.toUri().toString();
        String secret = secretDir.resolve("secret.ts").toAbsolutePath().toString();
        Map<String, byte[]> chunks = new LinkedHashMap<>();
        chunks.put("dash-file-baseurl", bytes(dash(fileBase, "secret.ts")));
        chunks.put("dash-http-baseurl", bytes(dash(loopback, "dash.ts")));
        chunks.put("concat-relative", bytes(concat("secret.ts")));
        chunks.put("concat-absolute", bytes(concat(secret)));
        chunks.put("concat-subfile", bytes(concat("subfile,,start,0,end,1000000,,:" + secret)));
        chunks.put("concat-http", bytes(concat(loopback + "concat.ts")));
        chunks.put("hls-file", bytes(hls(fileBase + "secret.ts")));
        chunks.put("hls-http", bytes(hls(loopback + "hls.ts")));
        chunks.put("hls-data-uri", bytes(hls("data:video/mp2t;base64,"
                + Base64.getEncoder().encodeToString(new byte[188]))));
        chunks.put("hls-key-http", bytes("#EXTM3U\n#EXT-X-VERSION:3\n#EXT-X-TARGETDURATION:2\n"
                + "#EXT-X-KEY:METHOD=AES-128,URI=\"" + loopback + "hls.key\"\n#EXTINF:2.0,\n" + fileBase + "secret.ts\n"
                + "#EXT-X-ENDLIST\n"));
        chunks.put("hls-master-http", bytes("#EXTM3U\n#EXT-X-STREAM-INF:BANDWIDTH=100000\n" + loopback + "variant.m3u8\n"));
        chunks.put("dash-template-http", bytes(dash(loopback, "").replace("<BaseURL></BaseURL>",
                "<SegmentTemplate initialization=\"init.mp4\" media=\"seg$Number$.m4s\" startNumber=\"1\""
                        + " duration=\"2\" timescale=\"1\"/>")));
        chunks.put("concat-tee", bytes(concat("tee:" + secret)));
        chunks.put("sdp-udp-listen", bytes(sdp(udpPort)));
        return chunks;
    }

    /** A DASH manifest whose segment is {@code base + segment}. */
    public static String dash(String base, String segment) {
        return """
                <?xml version="1.0" encoding="utf-8"?>
                <MPD xmlns="urn:mpeg:dash:schema:mpd:2011" type="static" mediaPresentationDuration="PT2S"
                     minBufferTime="PT1S" profiles="urn:mpeg:dash:profile:isoff-on-demand:2011">
                  <BaseURL>%s</BaseURL>
                  <Period start="PT0S" duration="PT2S">
                    <AdaptationSet mimeType="video/mp2t" segmentAlignment="true">
                      <Representation id="v" bandwidth="100000" width="64" height="48" codecs="avc1.64000a">
                        <BaseURL>%s</BaseURL>
                      </Representation>
                    </AdaptationSet>
                  </Period>
                </MPD>
                """.formatted(base, segment);
    }

    public static String concat(String entry) {
        return "ffconcat version 1.0\nfile '" + entry + "'\n";
    }

    public static String hls(String segment) {
        return "#EXTM3U\n#EXT-X-VERSION:3\n#EXT-X-TARGETDURATION:2\n#EXT-X-MEDIA-SEQUENCE:0\n#EXTINF:2.0,\n"
                + segment + "\n#EXT-X-ENDLIST\n";
    }

    public static String sdp(int udpPort) {
        return "v=0\no=- 0 0 IN IP4 127.0.0.1\ns=oisr\nc=IN IP4 127.0.0.1\nt=0 0\nm=video " + udpPort
                + " RTP/AVP 96\na=rtpmap:96 H264/90000\n";
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
