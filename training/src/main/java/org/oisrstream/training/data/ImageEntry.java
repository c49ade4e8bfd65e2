package org.oisrstream.training.data;

import java.nio.file.Path;
import java.util.Optional;

/** An HR image file to train or validate on, and its LR file when the data set ships one (DIV2K, benchmarks). */
public record ImageEntry(String name, Path hr, Optional<Path> lr) {

    public static ImageEntry hrOnly(Path hr) {
        String file = hr.getFileName().toString();
        int dot = file.lastIndexOf('.');
        return new ImageEntry(dot > 0 ? file.substring(0, dot) : file, hr, Optional.empty());
    }
}
