package org.oisrstream.model.weights;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * A tensor in Java memory, independent of LibTorch: element type, shape and little-endian contiguous bytes
 * (row-major). Weights files are read into and written from these; the network copies them to a device.
 */
public record HostTensor(DType dtype, long[] shape, ByteBuffer data) {

    public HostTensor {
        shape = shape.clone();
        long expected = numel(shape) * dtype.bytes();
        if (data.remaining() != expected) {
            throw new IllegalArgumentException("tensor of shape " + Arrays.toString(shape) + " and dtype " + dtype
                    + " needs " + expected + " bytes, got " + data.remaining());
        }
        data = data.slice().order(ByteOrder.LITTLE_ENDIAN);
    }

    public static long numel(long[] shape) {
        long n = 1;
        for (long d : shape) {
            if (d < 0) {
                throw new IllegalArgumentException("negative dimension in shape " + Arrays.toString(shape));
            }
            n = Math.multiplyExact(n, d);
        }
        return n;
    }

    public long numel() {
        return numel(shape);
    }

    @Override
    public long[] shape() {
        return shape.clone();
    }

    public String shapeString() {
        return Arrays.toString(shape);
    }

    /** True when both tensors have the same dtype, shape and bytes (records compare arrays by identity). */
    public boolean contentEquals(HostTensor other) {
        return other != null && dtype == other.dtype && Arrays.equals(shape, other.shape)
                && data.duplicate().rewind().equals(other.data.duplicate().rewind());
    }

    public static HostTensor ofFloats(long[] shape, float[] values) {
        ByteBuffer buffer = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        buffer.asFloatBuffer().put(values);
        return new HostTensor(DType.F32, shape, buffer);
    }

    /** The values as fp32, converting from F16, BF16 or F64 where needed. */
    public float[] toFloats() {
        int n = Math.toIntExact(numel());
        float[] out = new float[n];
        ByteBuffer b = data.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        switch (dtype) {
            case F32 -> b.asFloatBuffer().get(out);
            case F16 -> {
                for (int i = 0; i < n; i++) {
                    out[i] = halfToFloat(b.getShort(2 * i));
                }
            }
            case BF16 -> {
                for (int i = 0; i < n; i++) {
                    out[i] = Float.intBitsToFloat((b.getShort(2 * i) & 0xffff) << 16);
                }
            }
            case F64 -> {
                for (int i = 0; i < n; i++) {
                    out[i] = (float) b.getDouble(8 * i);
                }
            }
            default -> throw new IllegalStateException("tensor of dtype " + dtype + " is not floating point");
        }
        return out;
    }

    /** This tensor stored as {@code target} (F32, F16 or BF16); BF16 rounds to nearest even. */
    public HostTensor to(DType target) {
        if (target == dtype) {
            return this;
        }
        float[] values = toFloats();
        ByteBuffer out = ByteBuffer.allocate(values.length * target.bytes()).order(ByteOrder.LITTLE_ENDIAN);
        switch (target) {
            case F32 -> out.asFloatBuffer().put(values);
            case F16 -> {
                for (float v : values) {
                    out.putShort(floatToHalf(v));
                }
            }
            case BF16 -> {
                for (float v : values) {
                    out.putShort(toBfloat16(v));
                }
            }
            default -> throw new IllegalArgumentException("cannot store weights as " + target);
        }
        out.rewind(); // not flip(): the F32 case writes through a view and leaves the position at 0
        return new HostTensor(target, shape, out);
    }

    private static short toBfloat16(float v) {
        int bits = Float.floatToRawIntBits(v);
        if (Float.isNaN(v)) {
            return (short) ((bits >>> 16) | 0x40);
        }
        int roundingBias = 0x7fff + ((bits >>> 16) & 1);
        return (short) ((bits + roundingBias) >>> 16);
    }

    /** IEEE 754 binary16 to binary32 (Java 17 lacks Float.float16ToFloat). */
    static float halfToFloat(short half) {
        int h = half & 0xffff;
        int sign = (h & 0x8000) << 16;
        int exponent = (h >>> 10) & 0x1f;
        int mantissa = h & 0x3ff;
        if (exponent == 0x1f) {
            return Float.intBitsToFloat(sign | 0x7f800000 | (mantissa << 13));
        }
        if (exponent == 0) {
            // Zero or subnormal: value = mantissa * 2^-24.
            float magnitude = mantissa * 0x1p-24f;
            return sign == 0 ? magnitude : -magnitude;
        }
        return Float.intBitsToFloat(sign | ((exponent + 112) << 23) | (mantissa << 13));
    }

    /** IEEE 754 binary32 to binary16, round to nearest even, overflow to infinity. */
    static short floatToHalf(float value) {
        int bits = Float.floatToRawIntBits(value);
        int sign = (bits >>> 16) & 0x8000;
        if (Float.isNaN(value)) {
            return (short) (sign | 0x7e00);
        }
        float abs = Math.abs(value);
        if (abs >= 65520f) {
            return (short) (sign | 0x7c00);
        }
        if (abs < 0x1p-14f) {
            // Subnormal half: scale so the integer part is the mantissa, rounding to even.
            return (short) (sign | (int) Math.rint(abs * 0x1p24f));
        }
        int absBits = bits & 0x7fffffff;
        int rounded = absBits + 0xfff + ((absBits >>> 13) & 1);
        return (short) (sign | ((rounded >>> 13) - (112 << 10)));
    }
}
