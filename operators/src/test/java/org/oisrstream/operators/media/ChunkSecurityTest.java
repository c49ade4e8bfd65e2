package org.oisrstream.operators.media;

import static org.bytedeco.ffmpeg.global.avformat.av_find_input_format;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Chunks are only what the protocol says: hostile chunk values (DASH, HLS, concat, SDP and the protocols they
 * name) are refused by the transcoder and the assembler with a reason, reading no file and reaching no server.
 */
class ChunkSecurityTest {

    @TempDir
    static Path dir;

    static HttpServer server;
    static final List<String> requests = new CopyOnWriteArrayList<>();
    static String loopback;
    static MediaChunk genuine;
    static byte[] genuineOutput;
    static SourceInfo source;

    @BeforeAll
    static void setUp() throws Exception {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            requests.add(exchange.getRequestMethod() + " " + exchange.getRequestURI());
            byte[] body = Files.readAllBytes(dir.resolve("secret.ts"));
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
        loopback = "http://127.0.0.1:" + server.getAddress().getPort() + "/";
        TestClips.Clip clip = TestClips.write(dir.resolve("clip.mkv"), TestClips.ClipSpec.of(64, 48, 30, 30));
        try (VideoSegmenter s = VideoSegmenter.open(clip.path().toString(),
                SegmenterOptions.defaults().withChunkSeconds(0.5))) {
            source = s.info();
            genuine = s.next();
        }
        // The "secret": a genuine video, so a demuxer that reached it would have frames to hand back.
        genuineOutput = new ChunkTranscoder(EncoderSettings.defaults())
                .transcode(genuine.data(), "secret", CountingUpscaler.nearest(1)).data();
        Files.write(dir.resolve("secret.ts"), genuineOutput);
    }

    @AfterAll
    static void tearDown() {
        if (server != null) {
            server.stop(0);
        }
    }

    private static ChunkMetadata header(int sequence) {
        return new ChunkMetadata("cam1", sequence, false, 0, 500_000, genuine.frameCount(),
                ChunkFormat.MATROSKA.demuxer(), 64, 48, 30);
    }

    private static Map<String, byte[]> hostile() throws Exception {
        try (DatagramSocket probe = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            return HostileChunks.all(dir, loopback, probe.getLocalPort());
        }
    }

    @Test
    void transcoderRefusesEveryHostileChunkWithAReason() throws Exception {
        ChunkTranscoder transcoder = new ChunkTranscoder(EncoderSettings.defaults());
        CountingUpscaler upscaler = CountingUpscaler.nearest(2);
        List<String> reasons = new ArrayList<>();
        hostile().forEach((kind, bytes) -> {
            MediaException e = assertThrows(MediaException.class,
                    () -> transcoder.transcode(bytes, header(7), upscaler::upscale), kind);
            assertTrue(e.getMessage().contains("chunk 7 of stream 'cam1'"), e.getMessage());
            assertTrue(e.getMessage().contains("not a readable Matroska chunk"), kind + ": " + e.getMessage());
            assertFalse(e.getMessage().contains("\n"));
            reasons.add(kind + ": " + e.getMessage());
        });
        assertEquals(0, upscaler.calls().get(), "nothing decoded: " + reasons);
        assertEquals(List.of(), requests, "the loopback server saw no request");
    }

    @Test
    void assemblerRefusesEveryHostileChunkAndWritesNothing() throws Exception {
        for (var entry : hostile().entrySet()) {
            Path out = dir.resolve("assembled-" + entry.getKey() + ".ts");
            MediaException e = assertThrows(MediaException.class,
                    () -> ChunkAssembler.assemble(List.of(genuineOutput, entry.getValue()), out), entry.getKey());
            assertTrue(e.getMessage().contains("output chunk 1"), e.getMessage());
            assertTrue(e.getMessage().contains("not a readable MPEG-TS chunk"), entry.getKey() + ": " + e.getMessage());
            assertFalse(Files.exists(out), "no output file for " + entry.getKey());
        }
        try (var files = Files.list(dir)) {
            assertEquals(List.of(), files.filter(p -> p.getFileName().toString().contains("assembled")).toList(),
                    "no partial files left either");
        }
        assertEquals(List.of(), requests, "the loopback server saw no request");
    }

    @Test
    void chunksOfTheOtherContainerOrHeaderAreRefused() {
        ChunkTranscoder transcoder = new ChunkTranscoder(EncoderSettings.defaults());
        CountingUpscaler upscaler = CountingUpscaler.nearest(2);
        MediaException ts = assertThrows(MediaException.class,
                () -> transcoder.transcode(genuineOutput, header(1), upscaler::upscale));
        assertTrue(ts.getMessage().contains("not a readable Matroska chunk"), ts.getMessage());
        ChunkMetadata saysTs = new ChunkMetadata("cam1", 2, false, 0, 500_000, genuine.frameCount(),
                ChunkFormat.MPEGTS.demuxer(), 64, 48, 30);
        MediaException header = assertThrows(MediaException.class,
                () -> transcoder.transcode(genuine.data(), saysTs, upscaler::upscale));
        assertTrue(header.getMessage().contains("oisr.container is 'mpegts'"), header.getMessage());
        MediaException mkv = assertThrows(MediaException.class,
                () -> ChunkAssembler.assemble(List.of(genuine.data()), dir.resolve("from-input.ts")));
        assertTrue(mkv.getMessage().contains("not a readable MPEG-TS chunk"), mkv.getMessage());
        assertEquals(0, upscaler.calls().get());
        // The genuine chunk with its genuine header still works.
        assertEquals(genuine.frameCount(), transcoder.transcode(genuine.data(), header(3), upscaler::upscale).frameCount());
    }

    /**
     * The protocol whitelist alone stops a URL-opening demuxer: the DASH demuxer, forced on purpose, cannot reach
     * the server with no protocol allowed, and (the control, showing the attack is real in this FFmpeg build)
     * does reach it when http is allowed.
     */
    @Test
    void emptyProtocolWhitelistStopsADashManifestEvenWhenItIsParsed() {
        byte[] mpd = HostileChunks.dash(loopback, "whitelisted.ts").getBytes(java.nio.charset.StandardCharsets.UTF_8);
        var dash = av_find_input_format("dash");
        org.junit.jupiter.api.Assumptions.assumeTrue(dash != null && !dash.isNull(), "this FFmpeg has no dash demuxer");
        assertThrows(MediaException.class, () -> Demuxer.openMemory(mpd, dash,
                Map.of("protocol_whitelist", ChunkFormat.NO_PROTOCOLS), "DASH", "locked", null).close());
        assertEquals(List.of(), requests, "no request with an empty whitelist");
        try {
            Demuxer.openMemory(mpd, dash, Map.of("protocol_whitelist", "http,tcp"), "DASH", "open", null).close();
        } catch (MediaException expected) {
            // the segment is not what the manifest says; the request is what counts
        }
        try {
            assertTrue(requests.stream().anyMatch(r -> r.contains("whitelisted.ts")), "control: " + requests);
        } finally {
            requests.clear();
        }
    }
}
