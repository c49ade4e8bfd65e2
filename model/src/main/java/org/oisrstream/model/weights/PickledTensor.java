package org.oisrstream.model.weights;

import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * A tensor from {@code torch._utils._rebuild_tensor_v2}: a view into {@code storage} starting {@code viewOffset}
 * elements in (non-zero only for the storage views of old checkpoints), then {@code storageOffset}, sizes and
 * strides in elements, exactly as torch rebuilds it.
 */
record PickledTensor(PickledStorage storage, long viewOffset, long viewNumel, long storageOffset, long[] size,
                     long[] stride) {

    PickledTensor {
        size = size.clone();
        stride = stride.clone();
        if (size.length != stride.length) {
            throw new UnpicklingRefusedException("tensor has " + size.length + " sizes but " + stride.length
                    + " strides");
        }
        if (storageOffset < 0) {
            throw new UnpicklingRefusedException("tensor has a negative storage offset " + storageOffset);
        }
        long last = storageOffset;
        boolean empty = false;
        for (int i = 0; i < size.length; i++) {
            if (size[i] < 0 || stride[i] < 0) {
                throw new UnpicklingRefusedException("tensor has negative size or stride: size "
                        + Arrays.toString(size) + ", stride " + Arrays.toString(stride));
            }
            if (size[i] == 0) {
                empty = true;
            } else {
                last = Math.addExact(last, Math.multiplyExact(size[i] - 1, stride[i]));
            }
        }
        if (!empty && last >= viewNumel) {
            throw new UnpicklingRefusedException("tensor of size " + Arrays.toString(size) + ", stride "
                    + Arrays.toString(stride) + " at offset " + storageOffset + " reaches element " + last
                    + " of a storage of " + viewNumel + " elements");
        }
    }

    DType dtype() {
        return storage.type().dtype();
    }

    /** Copies the elements out of the storage bytes (little-endian) into a contiguous row-major host tensor. */
    HostTensor gather(ByteBuffer storageBytes) {
        int elementSize = dtype().bytes();
        long numel = HostTensor.numel(size);
        if (numel * elementSize > Integer.MAX_VALUE - 8) {
            throw new UnpicklingRefusedException("tensor of size " + Arrays.toString(size)
                    + " is larger than the 2 GiB a host tensor can hold");
        }
        byte[] out = new byte[(int) (numel * elementSize)];
        if (numel > 0) {
            StridedCopy.gather(storageBytes, elementSize, viewOffset + storageOffset, size, stride, out);
        }
        return new HostTensor(dtype(), size, ByteBuffer.wrap(out));
    }
}
