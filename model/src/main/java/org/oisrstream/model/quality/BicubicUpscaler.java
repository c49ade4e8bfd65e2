package org.oisrstream.model.quality;

import org.oisrstream.model.image.RgbImage;
import org.oisrstream.model.infer.JavaUpscaler;

/** The papers' {@code Bicubic} baseline: MATLAB's {@code imresize(lr, scale, 'bicubic')} ({@link MatlabBicubic}). */
public final class BicubicUpscaler extends JavaUpscaler {

    public BicubicUpscaler(int scale) {
        super(scale);
    }

    @Override
    public String describe() {
        return "bicubic x" + scale() + " (MATLAB imresize, Java on cpu)";
    }

    @Override
    protected RgbImage upscaleOne(RgbImage image) {
        return MatlabBicubic.upscale(image, scale());
    }
}
