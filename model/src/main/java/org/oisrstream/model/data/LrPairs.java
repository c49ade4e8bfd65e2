package org.oisrstream.model.data;

import org.oisrstream.model.image.RgbImage;
import org.oisrstream.model.quality.MatlabBicubic;

/** Makes LR inputs from HR images the way the SR benchmarks and the paper's training data do. */
public final class LrPairs {

    private LrPairs() {
    }

    /** HR cropped (top-left) to a multiple of {@code scale}, LR = MATLAB {@code imresize(hr, 1/scale, 'bicubic')}. */
    public static EvalPair fromHr(String name, RgbImage hr, int scale) {
        RgbImage cropped = MatlabBicubic.cropToMultiple(hr, scale);
        return new EvalPair(name, MatlabBicubic.downscale(cropped, scale), cropped);
    }
}
