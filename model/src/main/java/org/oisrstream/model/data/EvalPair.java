package org.oisrstream.model.data;

import java.util.Objects;
import org.oisrstream.model.image.RgbImage;

/** One evaluation image: its LR input and the HR ground truth. */
public record EvalPair(String name, RgbImage lr, RgbImage hr) {

    public EvalPair {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(lr, "lr");
        Objects.requireNonNull(hr, "hr");
    }
}
