package org.oisrstream.model.util;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AtomicFilesTest {

    @TempDir
    Path dir;

    private List<Path> files() throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.toList();
        }
    }

    @Test
    void replacesTheWholeFileAndLeavesNoTemporaryFile() throws IOException {
        Path target = dir.resolve("index.m3u8");
        AtomicFiles.write(target, "old".getBytes(StandardCharsets.UTF_8));
        AtomicFiles.write(target, "#EXTM3U\n".getBytes(StandardCharsets.UTF_8));
        assertArrayEquals("#EXTM3U\n".getBytes(StandardCharsets.UTF_8), Files.readAllBytes(target));
        assertEquals(List.of(target), files());
    }

    @Test
    void aFailingWriterKeepsTheOldContentAndRemovesItsTemporaryFile() throws IOException {
        Path target = dir.resolve("status.json");
        AtomicFiles.write(target, "{}".getBytes(StandardCharsets.UTF_8));
        IOException e = assertThrows(IOException.class, () -> AtomicFiles.write(target, channel -> {
            channel.write(ByteBuffer.wrap("{\"half\":".getBytes(StandardCharsets.UTF_8)));
            throw new IOException("disk full");
        }));
        assertEquals("disk full", e.getMessage());
        assertArrayEquals("{}".getBytes(StandardCharsets.UTF_8), Files.readAllBytes(target));
        assertEquals(List.of(target), files());
    }

    @Test
    void aMissingDirectoryIsAnError() {
        assertThrows(NoSuchFileException.class,
                () -> AtomicFiles.write(dir.resolve("no/such/file"), new byte[] {1}));
    }
}
