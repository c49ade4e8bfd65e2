package org.oisrstream.training.data;

import java.util.List;

/** Named HR/LR pairs at one scale, with the files that were skipped while loading them. */
public record PairSet(String name, int scale, List<TrainingPair> pairs, List<SkippedImage> skipped) {

    public PairSet {
        pairs = List.copyOf(pairs);
        skipped = List.copyOf(skipped);
        for (TrainingPair p : pairs) {
            if (p.scale() != scale) {
                throw new IllegalArgumentException(p.name() + " has scale " + p.scale() + ", expected " + scale);
            }
        }
    }

    public long hrPixels() {
        return pairs.stream().mapToLong(p -> (long) p.hr().width() * p.hr().height()).sum();
    }
}
