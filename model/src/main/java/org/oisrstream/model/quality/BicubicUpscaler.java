package org.oisrstream.model.quality;

import java.util.List;
import org.oisrstream.model.image.RgbImage;
import org.oisrstream.model.infer.ImageUpscaler;

/** The papers' {@code Bicubic} baseline: MATLAB's {@code imresize(lr, scale, 'bicubic')} ({@link MatlabBicubic}). */
public final class BicubicUpscaler implements ImageUpscaler {

    private final int scale;

    public BicubicUpscaler(int scale) {
        if (scale < 1) {
            throw new IllegalArgumentException("scale must be at least 1, got " + scale);
        }
        this.scale = scale;
    }

    @Override
    public int scale() {
        return scale;
    }

    @Override
    public String describe() {
        return "bicubic x" + scale + " (MATLAB imresize, Java on cpu)";
    }

    @Override
    public List<RgbImage> upscale(List<RgbImage> images) {
        return images.stream().map(image -> MatlabBicubic.upscale(image, scale)).toList();
    }
}
