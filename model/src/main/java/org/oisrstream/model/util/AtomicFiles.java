package org.oisrstream.model.util;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Writes a file so that readers (a weights loader, an HTTP server or player reading an HLS folder) see either the
 * old content or the complete new one, never a partial file.
 */
public final class AtomicFiles {

    /** Writes the content of the new file. */
    public interface ChannelWriter {
        void write(FileChannel channel) throws IOException;
    }

    private AtomicFiles() {
    }

    /**
     * Writes to a hidden temporary file beside {@code target}, syncs it, then renames it over {@code target}. The
     * directory must exist.
     */
    public static void write(Path target, ChannelWriter writer) throws IOException {
        Path absolute = target.toAbsolutePath();
        Path temp = absolute.resolveSibling("." + absolute.getFileName() + "."
                + Long.toHexString(ThreadLocalRandom.current().nextLong()) + ".tmp");
        boolean moved = false;
        try {
            try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                writer.write(channel);
                channel.force(true);
            }
            try {
                Files.move(temp, absolute, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, absolute, StandardCopyOption.REPLACE_EXISTING);
            }
            moved = true;
        } finally {
            if (!moved) {
                Files.deleteIfExists(temp);
            }
        }
    }

    /** {@link #write(Path, ChannelWriter)} of {@code content}. */
    public static void write(Path target, byte[] content) throws IOException {
        write(target, channel -> {
            ByteBuffer buffer = ByteBuffer.wrap(content);
            while (buffer.hasRemaining()) {
                channel.write(buffer);
            }
        });
    }
}
