package org.oisrstream.model.infer;

import java.util.List;
import org.oisrstream.model.image.RgbImage;

/**
 * An upscaler computed in Java on the calling thread, one image at a time, at a fixed scale: the registry's
 * baselines ({@link NearestNeighbourUpscaler}, {@link org.oisrstream.model.quality.BicubicUpscaler}).
 */
public abstract class JavaUpscaler implements ImageUpscaler {

    private final int scale;

    protected JavaUpscaler(int scale) {
        if (scale < 1) {
            throw new IllegalArgumentException("scale must be at least 1, got " + scale);
        }
        this.scale = scale;
    }

    @Override
    public final int scale() {
        return scale;
    }

    @Override
    public final List<RgbImage> upscale(List<RgbImage> images) {
        return images.stream().map(this::upscaleOne).toList();
    }

    /** {@code image} enlarged {@link #scale()} times in both directions. */
    protected abstract RgbImage upscaleOne(RgbImage image);
}
