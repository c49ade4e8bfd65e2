package org.oisrstream.training.data;

import org.oisrstream.model.image.RgbImage;

/** One training image: the HR image cropped to a multiple of the scale and its LR counterpart. */
public record TrainingPair(String name, RgbImage hr, RgbImage lr) {

    public TrainingPair {
        if (hr.width() % lr.width() != 0 || hr.height() % lr.height() != 0
                || hr.width() / lr.width() != hr.height() / lr.height()) {
            throw new IllegalArgumentException(name + ": HR " + hr.width() + "x" + hr.height()
                    + " is not an integer multiple of LR " + lr.width() + "x" + lr.height());
        }
    }

    public int scale() {
        return hr.width() / lr.width();
    }
}
