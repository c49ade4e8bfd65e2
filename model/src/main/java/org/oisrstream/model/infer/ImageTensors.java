package org.oisrstream.model.infer;

import java.util.ArrayList;
import java.util.List;
import java.util.function.IntFunction;
import org.oisrstream.model.image.ByteArrayPool;
import org.oisrstream.model.image.Yuv420Image;
import org.oisrstream.model.image.YuvMatrix;
import org.oisrstream.model.net.Yuv420Planes;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.pytorch.Device;
import org.bytedeco.pytorch.MemoryFormatOptional;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.ScalarOptional;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorOptions;
import org.bytedeco.pytorch.global.torch;
import org.oisrstream.model.image.RgbImage;

/**
 * {@link RgbImage}s to and from NCHW tensors without per-pixel Java loops: the interleaved bytes are copied
 * (one memcpy per image) into a uint8 N x H x W x 3 tensor; permuting and converting happen in LibTorch.
 */
public final class ImageTensors {

    private ImageTensors() {
    }

    /**
     * Same-size images as a float N x 3 x H x W tensor with values 0..255 on {@code device}, laid out in
     * {@code format} (channels-last is the bytes' natural order, so it costs no transpose).
     */
    public static Tensor toTensor(List<RgbImage> images, Device device, torch.MemoryFormat format) {
        RgbImage first = images.get(0);
        int w = first.width();
        int h = first.height();
        long frameBytes = (long) w * h * 3;
        Tensor hwc = torch.empty(new long[] {images.size(), h, w, 3}, new TensorOptions(torch.ScalarType.Byte),
                new MemoryFormatOptional());
        BytePointer data = hwc.data_ptr_byte();
        for (int i = 0; i < images.size(); i++) {
            RgbImage image = images.get(i);
            if (image.width() != w || image.height() != h) {
                throw new IllegalArgumentException("a batch needs images of one size, got " + w + "x" + h + " and "
                        + image.width() + "x" + image.height());
            }
            data.position(i * frameBytes).put(image.pixels());
        }
        return hwc.permute(0, 3, 1, 2).to(device, torch.ScalarType.Float, false, false, new MemoryFormatOptional(format));
    }

    /** Rounds and clamps a float N x 3 x H x W tensor (any device, any layout) to 8-bit images. */
    public static List<RgbImage> toImages(Tensor nchw) {
        return toImages(nchw, byte[]::new);
    }

    /** {@link #toImages(Tensor)} into arrays from {@code arrays} (e.g. a {@link ByteArrayPool}). */
    public static List<RgbImage> toImages(Tensor nchw, IntFunction<byte[]> arrays) {
        Tensor bytes = nchw.round().clamp(new ScalarOptional(new Scalar(0)), new ScalarOptional(new Scalar(255)))
                .to(torch.ScalarType.Byte).permute(0, 2, 3, 1)
                .to(new Device(torch.DeviceType.CPU), torch.ScalarType.Byte).contiguous();
        int n = (int) bytes.size(0);
        int h = (int) bytes.size(1);
        int w = (int) bytes.size(2);
        long frameBytes = (long) w * h * 3;
        BytePointer data = bytes.data_ptr_byte();
        List<RgbImage> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            byte[] pixels = arrays.apply(Math.toIntExact(frameBytes));
            data.position(i * frameBytes).get(pixels);
            out.add(new RgbImage(w, h, pixels));
        }
        return out;
    }

    /**
     * Rounds (half to even) and clamps {@code planes} to 8-bit 4:2:0 images of {@code matrix}: luma to 16..235,
     * chroma to 16..240, the nominal limited range that converting clamped RGB could not leave either.
     */
    public static List<Yuv420Image> toYuv420Images(Yuv420Planes planes, YuvMatrix matrix) {
        return toYuv420Images(planes, matrix, byte[]::new);
    }

    /** {@link #toYuv420Images(Yuv420Planes, YuvMatrix)} into arrays from {@code arrays} (e.g. a {@link ByteArrayPool}). */
    public static List<Yuv420Image> toYuv420Images(Yuv420Planes planes, YuvMatrix matrix, IntFunction<byte[]> arrays) {
        Tensor y = toBytes(planes.y(), 235);
        Tensor cb = toBytes(planes.cb(), 240);
        Tensor cr = toBytes(planes.cr(), 240);
        int n = (int) y.size(0);
        int h = (int) y.size(2);
        int w = (int) y.size(3);
        long lumaBytes = (long) w * h;
        long chromaBytes = cb.size(2) * cb.size(3);
        BytePointer yData = y.data_ptr_byte();
        BytePointer cbData = cb.data_ptr_byte();
        BytePointer crData = cr.data_ptr_byte();
        List<Yuv420Image> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            byte[] luma = arrays.apply(Math.toIntExact(lumaBytes));
            byte[] blue = arrays.apply(Math.toIntExact(chromaBytes));
            byte[] red = arrays.apply(Math.toIntExact(chromaBytes));
            yData.position(i * lumaBytes).get(luma);
            cbData.position(i * chromaBytes).get(blue);
            crData.position(i * chromaBytes).get(red);
            out.add(new Yuv420Image(w, h, matrix, luma, blue, red));
        }
        return out;
    }

    /** N x 1 x H x W fp32 to contiguous uint8 on the CPU, rounded and clamped to 16..{@code max}. */
    private static Tensor toBytes(Tensor plane, int max) {
        return plane.round().clamp(new ScalarOptional(new Scalar(16)), new ScalarOptional(new Scalar(max)))
                .to(torch.ScalarType.Byte).to(new Device(torch.DeviceType.CPU), torch.ScalarType.Byte).contiguous();
    }
}
