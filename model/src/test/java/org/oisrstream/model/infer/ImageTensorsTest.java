package org.oisrstream.model.infer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Random;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Device;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.junit.jupiter.api.Test;
import org.oisrstream.model.image.RgbImage;

class ImageTensorsTest {

    private static final Device CPU = new Device(torch.DeviceType.CPU);

    static RgbImage randomImage(int w, int h, long seed) {
        byte[] pixels = new byte[w * h * 3];
        new Random(seed).nextBytes(pixels);
        return new RgbImage(w, h, pixels);
    }

    @Test
    void pixelsLandInNchwOrderAndComeBackExactly() {
        List<RgbImage> images = List.of(randomImage(7, 5, 1), randomImage(7, 5, 2));
        for (torch.MemoryFormat format : List.of(torch.MemoryFormat.Contiguous, torch.MemoryFormat.ChannelsLast)) {
            try (PointerScope scope = new PointerScope()) {
                Tensor t = ImageTensors.toTensor(images, CPU, format);
                assertArrayEquals(new long[] {2, 3, 5, 7}, t.shape());
                assertEquals(torch.ScalarType.Float, t.scalar_type().intern());
                assertEquals(true, t.is_contiguous(format), format.toString());
                // Image 1, pixel (x=6, y=4), channel 2 (blue).
                assertEquals(images.get(1).get(6, 4, 2), t.select(0, 1).select(0, 2).select(0, 4).select(0, 6).item_float());
                assertEquals(images, ImageTensors.toImages(t));
            }
        }
    }

    @Test
    void outputIsRoundedAndClamped() {
        try (PointerScope scope = new PointerScope()) {
            Tensor t = Tensor.create(new float[] {-3f, 0.49f, 0.51f, 254.6f, 300f, 127.5f}, 1, 3, 1, 2);
            byte[] px = ImageTensors.toImages(t).get(0).pixels();
            // Channel planes c0 = (-3, 0.49), c1 = (0.51, 254.6), c2 = (300, 127.5) -> interleaved, rounded half-even.
            assertArrayEquals(new byte[] {0, 1, (byte) 255, 0, (byte) 255, (byte) 128}, px);
        }
    }
}
