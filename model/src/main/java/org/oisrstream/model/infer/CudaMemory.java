package org.oisrstream.model.infer;

import java.util.OptionalLong;
import org.bytedeco.pytorch.SizeTPair;
import org.bytedeco.pytorch.global.torch_cuda;

/** Free memory of a CUDA device as LibTorch's caching allocator sees it (cudaMemGetInfo). */
final class CudaMemory {

    private CudaMemory() {
    }

    /** Free bytes on CUDA device {@code index}; empty where the CUDA natives are absent (a CPU-only build). */
    static OptionalLong freeBytes(int index) {
        try (SizeTPair info = torch_cuda.getAllocator().getMemoryInfo((byte) index)) {
            return OptionalLong.of(info.first());
        } catch (Throwable e) {
            // UnsatisfiedLinkError/NoClassDefFoundError in a CPU build: the caller falls back to a fixed budget.
            return OptionalLong.empty();
        }
    }

    /** Whether {@code e} is LibTorch reporting that a device allocation failed. */
    static boolean isOutOfMemory(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            String message = t.getMessage();
            if (message != null && message.toLowerCase(java.util.Locale.ROOT).contains("out of memory")) {
                return true;
            }
        }
        return false;
    }
}
