package org.oisrstream.model.infer;

import java.util.List;
import org.oisrstream.model.image.Picture;
import org.oisrstream.model.image.Yuv420Image;
import org.oisrstream.model.image.YuvMatrix;
import org.oisrstream.model.image.RgbImage;

/**
 * Anything that enlarges images by an integer factor: an OISR network on a device, or the bicubic
 * baseline. Video operators, the evaluator and the CLI are written against this.
 */
public interface ImageUpscaler extends AutoCloseable {

    int scale();

    /** A short description for logs and tables, e.g. {@code "lf-s x4 on cpu (bf16)"}. */
    String describe();

    /** Upscales a batch; output i is input i enlarged {@link #scale()} times in both directions. */
    List<RgbImage> upscale(List<RgbImage> images);

    /**
     * How many of {@code waiting} frames of this size one {@link #upscale(List)} call should take to keep the device
     * busy without wasting memory; callers that run frames as they come (e.g. a shared inference service) pass that
     * many at a time and hand each result on as soon as it is back. All of them, unless the upscaler knows better.
     */
    default int framesPerPass(int waiting, int width, int height) {
        return waiting;
    }

    /**
     * Whether {@link #upscaleYuv420} works: the upscaler gives 8-bit Y'CbCr 4:2:0 itself, sparing a video encoder
     * its RGB conversion (and, for a folded network, half of its last convolution).
     */
    default boolean upscalesToYuv420() {
        return false;
    }

    /**
     * Upscales a batch straight to 8-bit limited-range Y'CbCr 4:2:0 in {@code matrix}; output i is input i enlarged
     * {@link #scale()} times. Only where {@link #upscalesToYuv420()}.
     */
    default List<Yuv420Image> upscaleYuv420(List<RgbImage> images, YuvMatrix matrix) {
        throw new UnsupportedOperationException(describe() + " gives RGB only");
    }

    /**
     * Hands back an image this upscaler returned once the caller, and everyone it passed the image to, is done
     * with it, so the upscaler may fill its arrays again (a video encoder copies each frame, then recycles it).
     * Optional: images never recycled are garbage collected. May be called from any thread.
     */
    default void recycle(Picture picture) {
    }

    default RgbImage upscale(RgbImage image) {
        return upscale(List.of(image)).get(0);
    }

    @Override
    default void close() {
    }
}
