package org.oisrstream.model.weights;

import java.util.Locale;

/** Element types a weights file may hold, named as in the safetensors header. */
public enum DType {
    F32(4), F16(2), BF16(2), F64(8), I64(8), I32(4), U8(1);

    private final int bytes;

    DType(int bytes) {
        this.bytes = bytes;
    }

    public int bytes() {
        return bytes;
    }

    public boolean isFloatingPoint() {
        return this == F32 || this == F16 || this == BF16 || this == F64;
    }

    /** Parses a safetensors dtype name ("F32", "BF16", ...). */
    public static DType ofSafetensorsName(String name) {
        try {
            return valueOf(name.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unsupported tensor dtype '" + name + "'", e);
        }
    }
}
