package org.oisrstream.operators.media;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ChunkMetadataTest {

    private final ChunkMetadata input = new ChunkMetadata("cam-1", 7, true, 14_000_000, 2_033_000, 61,
            "matroska", 320, 180, -1);

    @Test
    void headersRoundTripAsText() {
        Map<String, byte[]> headers = input.toHeaders();
        assertEquals(List.of("oisr.version", "oisr.stream", "oisr.seq", "oisr.last", "oisr.start-us", "oisr.duration-us",
                "oisr.frames", "oisr.container", "oisr.width", "oisr.height", "oisr.source-frames"),
                List.copyOf(headers.keySet()));
        assertEquals("1", new String(headers.get("oisr.version"), StandardCharsets.UTF_8));
        assertEquals("14000000", new String(headers.get("oisr.start-us"), StandardCharsets.UTF_8));
        assertEquals("true", new String(headers.get("oisr.last"), StandardCharsets.UTF_8));
        assertEquals(input, ChunkMetadata.fromHeaders(headers::get));
    }

    @Test
    void outputKeepsIdentityAndTimingButTakesNewSize() {
        TranscodedChunk out = new TranscodedChunk(new byte[10], 61, 61, 640, 360, 14_000_000, 2_033_000, 90);
        ChunkMetadata meta = input.forOutput(out);
        assertEquals("mpegts", meta.container());
        assertEquals(640, meta.width());
        assertEquals(360, meta.height());
        assertEquals(input.sequence(), meta.sequence());
        assertEquals(input.last(), meta.last());
        assertEquals(input.startPtsMicros(), meta.startPtsMicros());
        assertEquals(input.durationMicros(), meta.durationMicros());
    }

    @Test
    void badHeadersAreNamed() {
        Map<String, byte[]> headers = new HashMap<>(input.toHeaders());
        headers.remove("oisr.seq");
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ChunkMetadata.fromHeaders(headers::get))
                .getMessage().contains("oisr.seq is missing"));
        headers.putAll(input.toHeaders());
        headers.put("oisr.version", "2".getBytes(StandardCharsets.UTF_8));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ChunkMetadata.fromHeaders(headers::get))
                .getMessage().contains("version 2 is not supported"));
        headers.put("oisr.version", "1".getBytes(StandardCharsets.UTF_8));
        headers.put("oisr.frames", "many".getBytes(StandardCharsets.UTF_8));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ChunkMetadata.fromHeaders(headers::get))
                .getMessage().contains("oisr.frames must be a decimal number"));
    }
}
