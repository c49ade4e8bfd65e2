package org.oisrstream.operators.media;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** User-given sources may use only their own protocol unless widened explicitly. */
class InputPolicyTest {

    @TempDir
    Path dir;

    @Test
    void eachKindOfSourceGetsItsOwnProtocols() {
        assertEquals(Set.of("file"), InputPolicy.protocolsFor("/videos/a.mp4", null, List.of()));
        assertEquals(Set.of("file"), InputPolicy.protocolsFor("relative/a.mkv", null, List.of()));
        assertEquals(Set.of("file"), InputPolicy.protocolsFor("file:/videos/a.mp4", null, List.of()));
        assertEquals(Set.of("rtsp", "rtp", "udp", "tcp"), InputPolicy.protocolsFor("rtsp://cam/1", null, List.of()));
        assertEquals(Set.of("https", "tls", "tcp"), InputPolicy.protocolsFor("HTTPS://h/a.m3u8", null, List.of()));
        assertEquals(Set.of("file"), InputPolicy.protocolsFor("hw:0", "alsa", List.of()));
        assertEquals(Set.of("file", "http", "tcp"), InputPolicy.protocolsFor("/a.m3u8", null, List.of("http", "tcp")));
        MediaException e = assertThrows(MediaException.class, () -> InputPolicy.protocolsFor("gopher://h/x", null, List.of()));
        assertTrue(e.getMessage().contains("--allow-protocols gopher"), e.getMessage());
        assertTrue(InputPolicy.protocolsFor("gopher://h/x", null, List.of("gopher")).contains("gopher"));
        assertEquals(Map.of("protocol_whitelist", "udp"),
                InputPolicy.restrict("/a.mp4", null, Map.of("protocol_whitelist", "udp"), List.of()), "explicit wins");
    }

    @Test
    void localPlaylistCannotFetchUrlsUnlessAllowed() throws Exception {
        List<String> requests = new CopyOnWriteArrayList<>();
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", x -> {
            requests.add(x.getRequestURI().toString());
            x.sendResponseHeaders(404, -1);
            x.close();
        });
        server.start();
        try {
            Path playlist = dir.resolve("list.m3u8");
            Files.writeString(playlist, HostileChunks.hls("http://127.0.0.1:" + server.getAddress().getPort() + "/seg.ts"));
            assertThrows(MediaException.class, () -> VideoSegmenter.open(playlist.toString(), SegmenterOptions.defaults()));
            assertEquals(List.of(), requests, "file-only: no request");
            SegmenterOptions widened = SegmenterOptions.defaults().withInputOptions(
                    InputPolicy.restrict(playlist.toString(), null, Map.of(), List.of("http", "tcp")));
            assertThrows(MediaException.class, () -> VideoSegmenter.open(playlist.toString(), widened));
            assertEquals(List.of("/seg.ts"), requests, "widened explicitly: the segment is fetched");
        } finally {
            server.stop(0);
        }
    }
}
