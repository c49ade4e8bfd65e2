package org.oisrstream.training.data;

import java.nio.file.Path;

/** An image left out of a data set, with the reason (unreadable, smaller than a patch, ...). */
public record SkippedImage(Path file, String reason) {

    @Override
    public String toString() {
        return file + ": " + reason;
    }
}
