package org.oisrstream.training.data;

import java.util.Optional;

/** EDSR's {@code --data_range}: training images, and optionally validation images after a slash (1-800/801-810). */
public record DataRange(ImageRange train, Optional<ImageRange> validation) {

    public static DataRange parse(String text) {
        String[] parts = text.split("/");
        if (parts.length == 1) {
            return new DataRange(ImageRange.parse(parts[0]), Optional.empty());
        }
        if (parts.length == 2) {
            return new DataRange(ImageRange.parse(parts[0]), Optional.of(ImageRange.parse(parts[1])));
        }
        throw new IllegalArgumentException("bad data range '" + text + "', expected TRAIN or TRAIN/VAL such as 1-800/801-810");
    }
}
