package org.oisrstream.model.weights;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class HostTensorTest {

    private static final float[] EXACT_IN_HALF = {0f, -0f, 1f, -2.5f, 0.099975586f, 65504f, 6.1035156e-5f};

    @Test
    void halfAndBfloat16ConvertBackToFloat32() {
        HostTensor f32 = HostTensor.ofFloats(new long[] {7}, EXACT_IN_HALF);
        HostTensor back = f32.to(DType.F16).to(DType.F32);
        assertEquals(DType.F32, back.dtype());
        assertArrayEquals(EXACT_IN_HALF, back.toFloats());
        assertTrue(back.contentEquals(f32));

        HostTensor bf = HostTensor.ofFloats(new long[] {2}, new float[] {1.5f, -3f}).to(DType.BF16);
        assertArrayEquals(new float[] {1.5f, -3f}, bf.to(DType.F32).toFloats());
    }

    @Test
    void contentEqualsComparesDtypeShapeAndBytes() {
        HostTensor a = HostTensor.ofFloats(new long[] {2, 2}, new float[] {1, 2, 3, 4});
        assertTrue(a.contentEquals(HostTensor.ofFloats(new long[] {2, 2}, new float[] {1, 2, 3, 4})));
        assertFalse(a.contentEquals(HostTensor.ofFloats(new long[] {4}, new float[] {1, 2, 3, 4})));
        assertFalse(a.contentEquals(HostTensor.ofFloats(new long[] {2, 2}, new float[] {1, 2, 3, 5})));
        assertFalse(a.contentEquals(a.to(DType.F16)));
    }
}
