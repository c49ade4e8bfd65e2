package org.oisrstream.jobs.live;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LiveSourcesTest {

    @Test
    void urlsGetBoundedNetworkWaitsAndUserOptionsWin() {
        assertTrue(LiveSources.isUrl("udp://127.0.0.1:5000"));
        assertTrue(LiveSources.isUrl("rtsp://cam/stream"));
        assertFalse(LiveSources.isUrl("file:///tmp/a.mp4"));
        assertFalse(LiveSources.isUrl("videos/a.mp4"));
        assertFalse(LiveSources.isUrl("C:\\videos\\a.mp4"));
        assertEquals(Map.of("rw_timeout", "2000000", "timeout", "2000000"),
                LiveSources.inputOptions("udp://127.0.0.1:5000", Duration.ofSeconds(2), Map.of()));
        assertEquals(Map.of("rw_timeout", "2000000"),
                LiveSources.inputOptions("https://host/live.m3u8".replace("https", "hls+https"), Duration.ofSeconds(2), Map.of()));
        assertEquals(Map.of("rw_timeout", "2000000", "timeout", "500", "rtsp_transport", "tcp"),
                LiveSources.inputOptions("rtsp://cam/s", Duration.ofSeconds(2), Map.of("timeout", "500", "rtsp_transport", "tcp")));
        assertEquals(Map.of("probesize", "32"), LiveSources.inputOptions("a.mp4", Duration.ofSeconds(2), Map.of("probesize", "32")));
    }
}
