package org.oisrstream.model.infer;

import java.util.ArrayList;
import java.util.List;
import org.oisrstream.model.image.Dihedral;
import org.oisrstream.model.image.RgbImage;

/**
 * EDSR's x8 self-ensemble ("+" models) around any upscaler: each input is upscaled in all eight flips and rotations,
 * the outputs are transformed back and averaged per pixel, and the mean is rounded to 8 bits (half to even, like
 * {@code torch.round}). Unlike EDSR, which averages the network's float outputs, this averages the wrapped upscaler's
 * 8-bit outputs, so results can differ from EDSR's by up to half a grey level before rounding.
 *
 * <p>The four transforms that keep the orientation go to the wrapped upscaler as one batch and the four that swap
 * width and height as another, so every batch holds images of one size. Closing this closes the wrapped upscaler.
 */
public final class SelfEnsembleUpscaler implements ImageUpscaler {

    private static final List<Dihedral> SAME_SHAPE = List.of(Dihedral.values()).stream()
            .filter(d -> !d.swapsAxes()).toList();
    private static final List<Dihedral> SWAPPED_SHAPE = List.of(Dihedral.values()).stream()
            .filter(Dihedral::swapsAxes).toList();

    private final ImageUpscaler inner;

    public SelfEnsembleUpscaler(ImageUpscaler inner) {
        this.inner = inner;
    }

    @Override
    public int scale() {
        return inner.scale();
    }

    /** The wrapped upscaler. */
    public ImageUpscaler inner() {
        return inner;
    }

    @Override
    public String describe() {
        return inner.describe() + " + x8 self-ensemble";
    }

    /** One frame per call: each is already eight passes of the inner upscaler. */
    @Override
    public int framesPerPass(int waiting, int width, int height) {
        return 1;
    }

    @Override
    public List<RgbImage> upscale(List<RgbImage> images) {
        List<RgbImage> out = new ArrayList<>(images.size());
        for (RgbImage image : images) {
            out.add(ensemble(image));
        }
        return out;
    }

    private RgbImage ensemble(RgbImage image) {
        int outW = image.width() * scale();
        int outH = image.height() * scale();
        int[] sums = new int[outW * outH * 3];
        for (List<Dihedral> group : List.of(SAME_SHAPE, SWAPPED_SHAPE)) {
            List<RgbImage> transformed = group.stream().map(d -> d.apply(image)).toList();
            List<RgbImage> upscaled = inner.upscale(transformed);
            for (int i = 0; i < group.size(); i++) {
                RgbImage back = group.get(i).inverse().apply(upscaled.get(i));
                if (back.width() != outW || back.height() != outH) {
                    throw new IllegalStateException(inner.describe() + " returned " + back.width() + "x" + back.height()
                            + " for a " + image.width() + "x" + image.height() + " input at x" + scale());
                }
                byte[] p = back.pixels();
                for (int j = 0; j < sums.length; j++) {
                    sums[j] += p[j] & 0xff;
                }
            }
        }
        byte[] mean = new byte[sums.length];
        int n = SAME_SHAPE.size() + SWAPPED_SHAPE.size();
        for (int j = 0; j < sums.length; j++) {
            mean[j] = (byte) (int) Math.rint(sums[j] / (double) n);
        }
        return new RgbImage(outW, outH, mean);
    }

    @Override
    public void close() {
        inner.close();
    }
}
