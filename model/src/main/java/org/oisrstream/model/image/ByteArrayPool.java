package org.oisrstream.model.image;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import java.util.function.IntFunction;

/**
 * Byte arrays kept for reuse, by length, up to a total size. An upscaler fills its output planes from here so
 * that a stream of frames does not allocate new megabyte arrays for each one: on the JVM each is zeroed and, when
 * larger than half a G1 region, placed in regions of its own whose pages the kernel faults in afresh (at 1080p
 * about 750 page faults a frame on the model's thread; docs/inference.md). Thread-safe; arrays given back beyond
 * the capacity, or not given back at all, are left to the garbage collector; arrays of a length no longer asked for
 * make room for new ones.
 */
public final class ByteArrayPool implements IntFunction<byte[]> {

    private final long capacityBytes;
    private final Map<Integer, ArrayDeque<byte[]>> free = new HashMap<>();
    private long pooledBytes;

    /** @param capacityBytes the most bytes the pool holds between {@link #give} and {@link #take} */
    public ByteArrayPool(long capacityBytes) {
        if (capacityBytes < 0) {
            throw new IllegalArgumentException("capacity must be >= 0, got " + capacityBytes);
        }
        this.capacityBytes = capacityBytes;
    }

    /** An array of {@code length} bytes: one given back earlier (its old contents still in it) or a new one. */
    public byte[] take(int length) {
        synchronized (this) {
            ArrayDeque<byte[]> arrays = free.get(length);
            byte[] kept = arrays == null ? null : arrays.pollLast();
            if (kept != null) {
                pooledBytes -= length;
                return kept;
            }
        }
        return new byte[length];
    }

    /** {@link #take}, so the pool can stand where an array allocator is expected. */
    @Override
    public byte[] apply(int length) {
        return take(length);
    }

    /**
     * Gives {@code array} back: the caller and everyone it shared the array with must no longer use it. Giving the
     * same array twice keeps it once.
     */
    public void give(byte[] array) {
        synchronized (this) {
            ArrayDeque<byte[]> arrays = free.computeIfAbsent(array.length, n -> new ArrayDeque<>());
            for (byte[] kept : arrays) {
                if (kept == array) {
                    return;
                }
            }
            dropOtherLengthsFor(array.length);
            if (pooledBytes + array.length > capacityBytes) {
                return;
            }
            arrays.addLast(array);
            pooledBytes += array.length;
        }
    }

    /** Gives back every array of {@code picture}, as {@link #give(byte[])} does. */
    public void give(Picture picture) {
        if (picture instanceof RgbImage rgb) {
            give(rgb.pixels());
        } else if (picture instanceof Yuv420Image yuv) {
            give(yuv.y());
            give(yuv.cb());
            give(yuv.cr());
        }
    }

    /** Makes room for an array of {@code length} by dropping arrays of other lengths (frames of a size no longer seen). */
    private void dropOtherLengthsFor(int length) {
        var lengths = free.entrySet().iterator();
        while (pooledBytes + length > capacityBytes && lengths.hasNext()) {
            var entry = lengths.next();
            if (entry.getKey() != length) {
                pooledBytes -= (long) entry.getKey() * entry.getValue().size();
                lengths.remove();
            }
        }
    }

    /** Bytes held for reuse now. */
    public synchronized long pooledBytes() {
        return pooledBytes;
    }
}
