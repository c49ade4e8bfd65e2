package org.oisrstream.training.data;

import org.oisrstream.model.image.RgbImage;

/** Makes the LR input from an HR image whose sides are multiples of the scale. */
public interface Downscaler {

    RgbImage downscale(RgbImage hr, int scale);

    /** Identifies the method in cache keys, so a change of method never reuses stale LR images. */
    String id();
}
