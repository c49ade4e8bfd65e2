package org.oisrstream.operators.media;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.oisrstream.model.image.RgbImage;
import org.oisrstream.model.infer.ImageUpscaler;
import org.oisrstream.model.infer.NearestNeighbourUpscaler;

/** Nearest-neighbour upscaling that counts its calls and the largest batch, so tests can see how it was driven. */
record CountingUpscaler(NearestNeighbourUpscaler nearest, AtomicInteger calls, AtomicInteger largestBatch)
        implements ImageUpscaler {

    static CountingUpscaler nearest(int scale) {
        return new CountingUpscaler(new NearestNeighbourUpscaler(scale), new AtomicInteger(), new AtomicInteger());
    }

    @Override
    public int scale() {
        return nearest.scale();
    }

    @Override
    public String describe() {
        return nearest.describe() + ", counted";
    }

    @Override
    public List<RgbImage> upscale(List<RgbImage> images) {
        calls.incrementAndGet();
        largestBatch.accumulateAndGet(images.size(), Math::max);
        return nearest.upscale(images);
    }
}
