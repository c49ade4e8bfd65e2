package org.oisrstream.training.monitor;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * The run's {@code log.jsonl}: one JSON object per line, appended and flushed as training goes. On resume, lines
 * logged after the checkpoint (by the interrupted run) are dropped, so the curve continues from the checkpoint
 * without duplicated or out-of-order points.
 */
public final class MetricsLog implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path file;
    private final List<LogEntry> entries;
    private final BufferedWriter out;

    private MetricsLog(Path file, List<LogEntry> entries) throws IOException {
        this.file = file;
        this.entries = new ArrayList<>(entries);
        this.out = Files.newBufferedWriter(file, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                StandardOpenOption.APPEND);
    }

    /** Opens the log, keeping the existing entries up to {@code step} (0 for a fresh run). */
    public static MetricsLog open(Path file, long keepUpToStep) throws IOException {
        List<LogEntry> kept = new ArrayList<>();
        if (Files.exists(file)) {
            for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                if (line.isBlank()) {
                    continue;
                }
                try {
                    LogEntry e = JSON.readValue(line, LogEntry.class);
                    if (e.step() <= keepUpToStep) {
                        kept.add(e);
                    }
                } catch (IOException ignored) {
                    // A line cut short by a kill; drop it.
                }
            }
            Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
            List<String> lines = new ArrayList<>();
            for (LogEntry e : kept) {
                lines.add(JSON.writeValueAsString(e));
            }
            Files.write(tmp, lines, StandardCharsets.UTF_8);
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        }
        return new MetricsLog(file, kept);
    }

    public synchronized void append(LogEntry entry) throws IOException {
        entries.add(entry);
        out.write(JSON.writeValueAsString(entry));
        out.newLine();
        out.flush();
    }

    public synchronized List<LogEntry> entries() {
        return List.copyOf(entries);
    }

    public Path file() {
        return file;
    }

    @Override
    public void close() throws IOException {
        out.close();
    }
}
