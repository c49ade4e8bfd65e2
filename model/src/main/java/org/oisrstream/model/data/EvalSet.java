package org.oisrstream.model.data;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A named evaluation set at one scale. Entries load their images on demand; {@link #preload()} reads them all once
 * (for a training job that validates on the same images again and again).
 *
 * @param layout how the images were found, for logs (e.g. {@code "HR/LR pairs in Set5/x4"})
 */
public record EvalSet(String name, int scale, String layout, List<EvalEntry> entries) {

    public EvalSet {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(layout, "layout");
        if (scale < 1) {
            throw new IllegalArgumentException("scale must be at least 1, got " + scale);
        }
        entries = List.copyOf(entries);
        if (entries.isEmpty()) {
            throw new IllegalArgumentException("evaluation set " + name + " has no images");
        }
    }

    /** A set of pairs already in memory. */
    public static EvalSet of(String name, int scale, List<EvalPair> pairs) {
        return new EvalSet(name, scale, "in memory", pairs.stream().<EvalEntry>map(EvalEntry.InMemory::new).toList());
    }

    public int size() {
        return entries.size();
    }

    /** The same set with every image read now and kept in memory. */
    public EvalSet preload() throws IOException {
        List<EvalEntry> loaded = new ArrayList<>(entries.size());
        for (EvalEntry entry : entries) {
            loaded.add(entry instanceof EvalEntry.InMemory ? entry : new EvalEntry.InMemory(entry.load()));
        }
        return new EvalSet(name, scale, layout + ", preloaded", loaded);
    }

    /** All pairs, read now; an unreadable file fails with an {@link UncheckedIOException} naming it. */
    public List<EvalPair> loadAll() {
        List<EvalPair> pairs = new ArrayList<>(entries.size());
        for (EvalEntry entry : entries) {
            try {
                pairs.add(entry.load());
            } catch (IOException e) {
                throw new UncheckedIOException(e.getMessage(), e);
            }
        }
        return pairs;
    }
}
