package org.oisrstream.model.util;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Removing the temporary folders the tools make (spill folders, broker logs, checkpoints). */
public final class Folders {

    private static final Logger LOG = LoggerFactory.getLogger(Folders.class);

    private Folders() {
    }

    /**
     * Deletes {@code dir} and everything below it, deepest first. Clean-up must not turn a finished run into a
     * failed one, so what cannot be deleted is logged as a warning and left; a missing or null folder is fine.
     */
    public static void deleteQuietly(Path dir) {
        if (dir == null || !Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> {
                try {
                    Files.deleteIfExists(path);
                } catch (IOException e) {
                    LOG.warn("could not delete {}: {}", path, e.toString());
                }
            });
        } catch (IOException | RuntimeException e) {
            LOG.warn("could not clean up {}: {}", dir, e.toString());
        }
    }
}
