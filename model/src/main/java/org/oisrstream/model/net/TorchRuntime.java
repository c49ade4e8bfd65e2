package org.oisrstream.model.net;

import org.bytedeco.pytorch.global.torch;

/**
 * Process-wide LibTorch settings the project relies on, applied once, before the first tensor is allocated
 * (the {@link OisrNet} class applies them when it loads).
 *
 * <ul>
 *   <li><b>Huge pages for large tensors</b> ({@code THP_MEM_ALLOC_ENABLE=1}). LibTorch allocates each activation
 *   with {@code posix_memalign}; glibc serves blocks this large from fresh {@code mmap}s and unmaps them on
 *   free (from a thread other than main it always does, whatever {@code MALLOC_MMAP_MAX_} says), so every frame
 *   faults in and zeroes all its activations again, 4 KiB at a time: measured here, hundreds of thousands of
 *   page faults and a third of the CPU time in the kernel. With the setting, LibTorch aligns such blocks to 2 MiB
 *   and asks for transparent huge pages, which cuts the faults about 45-fold (docs/inference.md). A value the
 *   user exported is kept.</li>
 *   <li><b>Intra-op threads</b>: LibTorch's default counts physical cores through cpuinfo, which on some virtual
 *   machines reports one core where the JVM sees two; {@link #defaultThreads()} uses the processors available to
 *   the JVM (container limits included).</li>
 * </ul>
 */
public final class TorchRuntime {

    static {
        torch.set_env("THP_MEM_ALLOC_ENABLE", "1", false);
    }

    private TorchRuntime() {
    }

    /** Puts a process-wide setting back as it was. */
    public interface Restorer extends AutoCloseable {
        @Override
        void close();
    }

    /** Applies the settings (idempotent; loading this class is what applies them). */
    public static void configure() {
        // the static initializer did the work
    }

    /**
     * Runs training's convolutions on LibTorch's own CPU kernels instead of oneDNN's until closed (then the previous
     * setting returns). On these machines (AMD EPYC with AVX-512) oneDNN's convolution backward now and then
     * returns NaN gradients for finite inputs once it runs on more than one thread: an 8-step Adam loop on a tiny
     * network went NaN in 15-20 runs of 20 with two threads, and in none of 20 with oneDNN off
     * ({@code TrainingStepTest}); forward passes were bit-identical over 40 runs either way, so inference keeps
     * oneDNN (it is what makes bf16 fast). Does nothing for CUDA devices.
     */
    public static Restorer cpuTrainingConvolutions(boolean cpu) {
        if (!cpu || !torch.hasMKLDNN()) {
            return () -> { };
        }
        boolean before = torch.globalContext().userEnabledMkldnn();
        torch.globalContext().setUserEnabledMkldnn(false);
        return () -> torch.globalContext().setUserEnabledMkldnn(before);
    }

    /** Intra-op threads for inference when none are asked for: every processor available to this JVM. */
    public static int defaultThreads() {
        return Runtime.getRuntime().availableProcessors();
    }
}
