package org.oisrstream.operators.media;

import java.util.List;
import org.oisrstream.model.image.RgbImage;
import org.oisrstream.model.infer.ImageUpscaler;

/** Passes batches to an upscaler, counting the calls and the largest batch, so tests can see how it was driven. */
final class CountingUpscaler implements ImageUpscaler {

    private final ImageUpscaler inner;
    int calls;
    int largestBatch;

    CountingUpscaler(ImageUpscaler inner) {
        this.inner = inner;
    }

    @Override
    public int scale() {
        return inner.scale();
    }

    @Override
    public String describe() {
        return inner.describe();
    }

    @Override
    public List<RgbImage> upscale(List<RgbImage> images) {
        calls++;
        largestBatch = Math.max(largestBatch, images.size());
        return inner.upscale(images);
    }
}
