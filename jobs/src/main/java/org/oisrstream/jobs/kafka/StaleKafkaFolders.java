package org.oisrstream.jobs.kafka;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.stream.Stream;
import org.oisrstream.model.util.Folders;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Temporary broker folders whose process is gone. A shutdown hook cannot run after {@code kill -9}, so each
 * temporary folder names its owner (pid and start time) and the next broker start deletes the folders of owners
 * that no longer run.
 */
final class StaleKafkaFolders {

    private static final Logger LOG = LoggerFactory.getLogger(StaleKafkaFolders.class);
    private static final String OWNER_FILE = "owner";

    private StaleKafkaFolders() {
    }

    static void markOwned(Path dir) throws IOException {
        ProcessHandle self = ProcessHandle.current();
        Files.writeString(dir.resolve(OWNER_FILE), self.pid() + " " + startMillis(self).orElse(0L),
                StandardCharsets.UTF_8);
    }

    /** Deletes {@code prefix*} folders in the temporary directory whose owner process has exited. */
    static void deleteFoldersOfDeadProcesses(String prefix) {
        Path tmp = Path.of(System.getProperty("java.io.tmpdir"));
        try (Stream<Path> dirs = Files.list(tmp)) {
            dirs.filter(d -> d.getFileName().toString().startsWith(prefix) && Files.isDirectory(d))
                    .filter(StaleKafkaFolders::ownerIsGone)
                    .forEach(d -> {
                        LOG.info("deleting {}: its broker process is gone", d);
                        Folders.deleteQuietly(d);
                    });
        } catch (IOException e) {
            LOG.info("could not look for stale broker folders in {}: {}", tmp, e.toString());
        }
    }

    private static boolean ownerIsGone(Path dir) {
        Path owner = dir.resolve(OWNER_FILE);
        if (!Files.isRegularFile(owner)) {
            return false; // not ours to judge (an older version, or a start still creating it)
        }
        try {
            String[] parts = Files.readString(owner, StandardCharsets.UTF_8).trim().split(" ");
            long pid = Long.parseLong(parts[0]);
            long started = Long.parseLong(parts[1]);
            Optional<ProcessHandle> process = ProcessHandle.of(pid);
            // A reused pid belongs to a process that started at another time.
            return process.isEmpty() || !process.get().isAlive()
                    || (started != 0 && startMillis(process.get()).map(s -> s != started).orElse(false));
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    private static Optional<Long> startMillis(ProcessHandle process) {
        return process.info().startInstant().map(i -> i.toEpochMilli());
    }
}
