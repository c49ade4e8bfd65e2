package org.oisrstream.model.eval;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import org.oisrstream.model.data.EvalEntry;
import org.oisrstream.model.data.EvalPair;
import org.oisrstream.model.data.EvalSet;
import org.oisrstream.model.image.RgbImage;
import org.oisrstream.model.infer.ImageUpscaler;
import org.oisrstream.model.quality.Quality;
import org.oisrstream.model.quality.QualityMetrics;

/**
 * Runs an upscaler over an evaluation set and measures every result the paper's way: PSNR and SSIM on Y with
 * {@code scale} pixels shaved from each border, HR cropped to the SR size ({@link QualityMetrics}). Images are
 * loaded and upscaled one at a time, so memory stays at one image pair.
 */
public final class Evaluator {

    /** Sees every image as it is evaluated: progress output, saving SR images, comparison figures. */
    @FunctionalInterface
    public interface ImageListener {
        void evaluated(int index, EvalPair pair, RgbImage sr, ImageResult result) throws IOException;
    }

    private static final ImageListener IGNORE = (index, pair, sr, result) -> {
    };

    private Evaluator() {
    }

    public static SetResult evaluate(ImageUpscaler upscaler, EvalSet set, int scale) {
        return evaluate(upscaler, set, scale, IGNORE);
    }

    /**
     * @throws IllegalArgumentException when the upscaler's or the set's scale is not {@code scale}
     * @throws UncheckedIOException     when an image cannot be read, or the listener fails (message names the file)
     */
    public static SetResult evaluate(ImageUpscaler upscaler, EvalSet set, int scale, ImageListener listener) {
        if (upscaler.scale() != scale || set.scale() != scale) {
            throw new IllegalArgumentException("scale mismatch: asked for x" + scale + ", upscaler " + upscaler.describe()
                    + " is x" + upscaler.scale() + ", set " + set.name() + " is x" + set.scale());
        }
        List<ImageResult> results = new ArrayList<>(set.size());
        List<EvalEntry> entries = set.entries();
        for (int i = 0; i < entries.size(); i++) {
            EvalPair pair = load(entries.get(i));
            long start = System.nanoTime();
            RgbImage sr = upscaler.upscale(pair.lr());
            double seconds = (System.nanoTime() - start) / 1e9;
            if (sr.width() != pair.lr().width() * scale || sr.height() != pair.lr().height() * scale) {
                throw new IllegalStateException(upscaler.describe() + " turned the " + pair.lr().width() + "x"
                        + pair.lr().height() + " LR of " + pair.name() + " into " + sr.width() + "x" + sr.height()
                        + ", expected x" + scale);
            }
            Quality quality = QualityMetrics.qualityY(sr, pair.hr(), scale);
            ImageResult result = new ImageResult(pair.name(), quality, seconds);
            results.add(result);
            try {
                listener.evaluated(i, pair, sr, result);
            } catch (IOException e) {
                throw new UncheckedIOException(e.getMessage(), e);
            }
        }
        return SetResult.of(set.name(), scale, upscaler.describe(), results);
    }

    private static EvalPair load(EvalEntry entry) {
        try {
            return entry.load();
        } catch (IOException e) {
            throw new UncheckedIOException(e.getMessage(), e);
        }
    }
}
