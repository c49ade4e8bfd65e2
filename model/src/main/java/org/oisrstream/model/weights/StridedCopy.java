package org.oisrstream.model.weights;

import java.nio.ByteBuffer;

/** Gathers a strided view (sizes and strides in elements) into contiguous row-major bytes. */
final class StridedCopy {

    private StridedCopy() {
    }

    static void gather(ByteBuffer source, int elementSize, long offset, long[] size, long[] stride, byte[] out) {
        ByteBuffer src = source.duplicate();
        int dims = size.length;
        if (isContiguous(size, stride)) {
            src.get(Math.toIntExact(offset * elementSize), out, 0, out.length);
            return;
        }
        // Copy runs along the innermost dimension; one element at a time when it is not stride 1.
        long rowLength = dims == 0 ? 1 : size[dims - 1];
        long innerStride = dims == 0 ? 1 : stride[dims - 1];
        long[] index = new long[Math.max(dims - 1, 0)];
        int written = 0;
        while (true) {
            long base = offset;
            for (int d = 0; d < index.length; d++) {
                base += index[d] * stride[d];
            }
            if (innerStride == 1) {
                int bytes = (int) (rowLength * elementSize);
                src.get(Math.toIntExact(base * elementSize), out, written, bytes);
                written += bytes;
            } else {
                for (long i = 0; i < rowLength; i++) {
                    src.get(Math.toIntExact((base + i * innerStride) * elementSize), out, written, elementSize);
                    written += elementSize;
                }
            }
            int d = index.length - 1;
            while (d >= 0 && ++index[d] == size[d]) {
                index[d] = 0;
                d--;
            }
            if (d < 0) {
                return;
            }
        }
    }

    /** Row-major contiguity; dimensions of size 1 may have any stride, as in torch. */
    static boolean isContiguous(long[] size, long[] stride) {
        long expected = 1;
        for (int d = size.length - 1; d >= 0; d--) {
            if (size[d] != 1 && stride[d] != expected) {
                return false;
            }
            expected *= size[d];
        }
        return true;
    }
}
