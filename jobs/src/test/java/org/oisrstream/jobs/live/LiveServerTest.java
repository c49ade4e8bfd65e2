package org.oisrstream.jobs.live;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The viewer server: content types, loopback only, and nothing outside the folder. */
class LiveServerTest {

    @TempDir
    Path dir;

    @Test
    void servesThePagePlayerAndHlsFilesWithTheirTypesAndNothingElse() throws Exception {
        Path root = Files.createDirectories(dir.resolve("hls"));
        Files.createDirectories(root.resolve("upscaled"));
        Files.writeString(root.resolve("upscaled/index.m3u8"), "#EXTM3U\n");
        Files.write(root.resolve("upscaled/seg-000000.ts"), new byte[] {0x47, 0, 0});
        Files.writeString(root.resolve("upscaled/.seg-000001.ts.123.tmp"), "half");
        Files.writeString(root.resolve("notes.txt"), "not served");
        Files.writeString(dir.resolve("secret.m3u8"), "outside");
        Files.createSymbolicLink(root.resolve("link.m3u8"), dir.resolve("secret.m3u8"));
        try (LiveServer server = LiveServer.start(root, null, 0)) {
            assertTrue(InetAddress.getByName(server.uri().getHost()).isLoopbackAddress(), server.uri().toString());
            HttpClient http = HttpClient.newHttpClient();
            HttpResponse<String> page = get(http, server, "/");
            assertEquals(200, page.statusCode());
            assertEquals("text/html; charset=utf-8", page.headers().firstValue("Content-Type").orElse(""));
            assertTrue(page.body().contains("<video id=\"upscaled\"") && page.body().contains("hls.min.js"));
            HttpResponse<String> player = get(http, server, "/hls.min.js");
            assertEquals(200, player.statusCode());
            assertTrue(player.body().length() > 100_000 && player.body().contains("Hls"), "hls.js from the WebJar");
            HttpResponse<String> playlist = get(http, server, "/hls/upscaled/index.m3u8");
            assertEquals("application/vnd.apple.mpegurl", playlist.headers().firstValue("Content-Type").orElse(""));
            assertEquals("#EXTM3U\n", playlist.body());
            assertEquals("video/mp2t", get(http, server, "/hls/upscaled/seg-000000.ts").headers()
                    .firstValue("Content-Type").orElse(""));
            for (String bad : new String[] {"/hls/notes.txt", "/hls/upscaled/.seg-000001.ts.123.tmp",
                    "/hls/link.m3u8", "/hls/upscaled/missing.ts", "/hls/", "/etc/passwd"}) {
                assertEquals(404, get(http, server, bad).statusCode(), bad);
            }
            // Traversal written raw on the wire (an HTTP client would normalise it away first).
            assertEquals(404, rawStatus(server, "/hls/../../secret.m3u8"));
            assertEquals(404, rawStatus(server, "/hls/%2e%2e/%2e%2e/secret.m3u8"));
            assertEquals(405, http.send(HttpRequest.newBuilder(server.uri().resolve("/hls/upscaled/index.m3u8"))
                    .POST(HttpRequest.BodyPublishers.ofString("x")).build(), HttpResponse.BodyHandlers.ofString()).statusCode());
        }
    }

    @Test
    void resolveRefusesPathsLeavingTheFolder() throws Exception {
        Path root = Files.createDirectories(dir.resolve("r")).toRealPath();
        Files.writeString(root.resolve("a.ts"), "x");
        assertEquals(root.resolve("a.ts"), LiveServer.resolve(root, "a.ts"));
        assertNull(LiveServer.resolve(root, "../r/a.ts"));
        assertNull(LiveServer.resolve(root, "x/../../a.ts"));
        assertNull(LiveServer.resolve(root, "/etc/passwd"));
        assertNull(LiveServer.resolve(root, "a\\..\\b"));
    }

    private static HttpResponse<String> get(HttpClient http, LiveServer server, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(server.uri().resolve(path)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static int rawStatus(LiveServer server, String path) throws Exception {
        URI uri = server.uri();
        try (Socket s = new Socket(uri.getHost(), uri.getPort())) {
            s.getOutputStream().write(("GET " + path + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            String status = new String(s.getInputStream().readNBytes(12), StandardCharsets.US_ASCII);
            return Integer.parseInt(status.substring(9, 12));
        }
    }
}
