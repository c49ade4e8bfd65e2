package org.oisrstream.model.data;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;
import org.oisrstream.model.image.RgbImage;

/** One image of an {@link EvalSet}, loaded on demand so that big sets need not sit in memory. */
public sealed interface EvalEntry permits EvalEntry.PairedFiles, EvalEntry.HrFile, EvalEntry.InMemory {

    String name();

    EvalPair load() throws IOException;

    /** An HR file and the LR file made from it (the SR benchmark and EDSR layouts). */
    record PairedFiles(String name, Path hr, Path lr, int scale) implements EvalEntry {
        @Override
        public EvalPair load() throws IOException {
            RgbImage hrImage = EvalImages.read(hr);
            RgbImage lrImage = EvalImages.read(lr);
            // LR = ceil(HR / S) from MATLAB, possibly of an original that was then cropped to a multiple of S.
            int dw = lrImage.width() * scale - hrImage.width();
            int dh = lrImage.height() * scale - hrImage.height();
            if (dw < 0 || dw > scale || dh < 0 || dh > scale) {
                throw new IOException(String.format(Locale.ROOT,
                        "%s is %dx%d but %s is %dx%d: not an x%d pair (wrong --scale or wrong files?)",
                        lr, lrImage.width(), lrImage.height(), hr, hrImage.width(), hrImage.height(), scale));
            }
            return new EvalPair(name, lrImage, hrImage);
        }
    }

    /** An HR file alone: cropped to a multiple of the scale, its LR made with MATLAB-compatible bicubic. */
    record HrFile(String name, Path hr, int scale) implements EvalEntry {
        @Override
        public EvalPair load() throws IOException {
            RgbImage hrImage = EvalImages.read(hr);
            if (hrImage.width() < scale || hrImage.height() < scale) {
                throw new IOException(hr + " (" + hrImage.width() + "x" + hrImage.height()
                        + ") is smaller than the scale " + scale);
            }
            return LrPairs.fromHr(name, hrImage, scale);
        }
    }

    /** An image pair already in memory (e.g. a training job's preloaded validation images). */
    record InMemory(EvalPair pair) implements EvalEntry {
        @Override
        public String name() {
            return pair.name();
        }

        @Override
        public EvalPair load() {
            return pair;
        }
    }
}
