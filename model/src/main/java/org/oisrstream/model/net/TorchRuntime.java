package org.oisrstream.model.net;

import org.bytedeco.pytorch.global.torch;

/**
 * Process-wide LibTorch settings the project relies on, applied once, before the first tensor is allocated
 * (the {@link OisrNet} class applies them when it loads).
 *
 * <ul>
 *   <li><b>Large tensors and the kernel.</b> LibTorch allocates each activation with {@code posix_memalign};
 *   glibc serves blocks this large from fresh {@code mmap}s and unmaps them on free (from a thread's own arena it
 *   always does, whatever {@code MALLOC_MMAP_MAX_} says), so every frame faults in and zeroes all its activations
 *   again: hundreds of thousands of page faults and a third of the CPU time in the kernel. The {@code oisr}
 *   launcher preloads jemalloc where it is installed, which keeps them (docs/inference.md). Otherwise this class
 *   sets LibTorch's {@code THP_MEM_ALLOC_ENABLE=1}: blocks of 2 MiB and more are aligned and advised as
 *   transparent huge pages, about 45 times fewer faults. A value the user exported is kept.</li>
 *   <li><b>Intra-op threads</b>: LibTorch's default counts physical cores through cpuinfo, which on some virtual
 *   machines reports one core where the JVM sees two; {@link #defaultThreads()} uses the processors available to
 *   the JVM (container limits included).</li>
 * </ul>
 */
public final class TorchRuntime {

    static {
        if (!reusesFreedMemory(System.getenv("LD_PRELOAD"))) {
            torch.set_env("THP_MEM_ALLOC_ENABLE", "1", false);
        }
    }

    /** Whether the process runs on jemalloc (the {@code oisr} launcher and Flink's image preload it), which reuses them. */
    static boolean reusesFreedMemory(String ldPreload) {
        return ldPreload != null && ldPreload.contains("jemalloc");
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
     * Runs convolutions on LibTorch's own CPU kernels instead of oneDNN's until closed (then the previous setting
     * returns). On some of these machines (AMD EPYC with AVX-512) oneDNN's multi-threaded convolution backward now
     * and then returns NaN gradients for finite inputs; a training step that sees them recomputes on LibTorch's
     * kernels (docs/training.md), which are exact but several times slower. Does nothing for CUDA devices.
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
