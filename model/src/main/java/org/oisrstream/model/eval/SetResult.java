package org.oisrstream.model.eval;

import java.util.List;
import org.oisrstream.model.quality.Quality;

/**
 * Results over one evaluation set: per image, the mean PSNR and mean SSIM (the papers' convention: averages of
 * per-image values), and the mean upscale wall time per image.
 */
public record SetResult(String dataset, int scale, String upscaler, List<ImageResult> images, Quality mean,
                        double secondsPerImage) {

    public SetResult {
        images = List.copyOf(images);
    }

    static SetResult of(String dataset, int scale, String upscaler, List<ImageResult> images) {
        Quality mean = Quality.mean(images.stream().map(ImageResult::quality).toList());
        double seconds = images.stream().mapToDouble(ImageResult::seconds).average().orElseThrow();
        return new SetResult(dataset, scale, upscaler, images, mean, seconds);
    }
}
