package org.oisrstream.model.infer;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.bytedeco.javacpp.Loader;
import org.bytedeco.pytorch.global.torch;

/**
 * Loads LibTorch's natives, choosing the CUDA ones in the GPU build ({@code mvn -Pgpu}, which adds the
 * {@code linux-x86_64-gpu} natives next to the CPU ones). JavaCPP takes the GPU natives only when the platform
 * extension {@code -gpu} is set (done here, before any JavaCPP library loads). The GPU build has no CPU natives
 * to fall back to (model/pom.xml), so on a machine without CUDA the load fails; with only part of CUDA installed
 * LibTorch loads without its CUDA library and would run on the CPU at a fraction of the speed. Both become one line
 * that says what is missing instead of an {@link UnsatisfiedLinkError} stack trace or a silent slow-down.
 */
public final class TorchNatives {

    /** The CUDA and cuDNN majors LibTorch 2.10 of bytedeco 1.5.13 is built against (cuda 13.1-9.19-1.5.13). */
    public static final String CUDA_RUNTIME = "CUDA 13.1 and cuDNN 9";

    static final String EXTENSION_PROPERTY = "org.bytedeco.javacpp.platform.extension";
    static final String GPU_EXTENSION = "-gpu";
    private static final String GPU_MARKER = "libtorch_cuda.so";

    private static String loadedFrom;

    static {
        // Before any JavaCPP library of this JVM is loaded, so that every Loader sees the same extension.
        if (isGpuBuild() && System.getProperty(EXTENSION_PROPERTY) == null) {
            System.setProperty(EXTENSION_PROPERTY, GPU_EXTENSION);
        }
    }

    private TorchNatives() {
    }

    /** True when this class path holds LibTorch's CUDA natives for this platform. */
    public static boolean isGpuBuild() {
        return torch.class.getResource(gpuFolder() + GPU_MARKER) != null;
    }

    /**
     * Loads LibTorch once per JVM and returns the native library it loaded.
     *
     * @throws IllegalStateException in the GPU build when CUDA/cuDNN cannot be loaded (one line, naming what is missing)
     */
    public static synchronized String ensureLoaded() {
        if (loadedFrom != null) {
            return loadedFrom;
        }
        if (isGpuBuild()) {
            // Checked before loading anything: with CUDA missing, a partial load of LibTorch's GPU natives can
            // crash the JVM (seen: SIGSEGV in libtorch_cpu's initialisation after libtorch failed to load).
            List<String> missing = missingCudaLibraries();
            if (!missing.isEmpty()) {
                throw gpuRuntimeMissing("these are missing: " + String.join(", ", missing));
            }
        }
        extractAll();
        String path;
        try {
            path = Loader.load(torch.class);
        } catch (UnsatisfiedLinkError e) {
            if (isGpuBuild()) {
                throw gpuRuntimeMissing("LibTorch's CUDA natives did not load (" + e.getMessage() + ")");
            }
            throw e;
        }
        if (isGpuBuild() && (path == null || !path.contains(Loader.getPlatform() + GPU_EXTENSION)
                || !cudaBackendMapped())) {
            throw gpuRuntimeMissing("LibTorch's CUDA library did not load");
        }
        loadedFrom = path;
        return path;
    }

    /**
     * Puts every LibTorch library of this platform into JavaCPP's cache before any of them loads. JavaCPP otherwise
     * extracts and loads them one at a time, {@code libtorch.so} before {@code libtorch_cpu.so}: on the first run
     * (empty cache) the dynamic linker then looks for {@code libtorch.so}'s dependency elsewhere, and on a machine
     * with a system LibTorch (Debian's python3-torch) it loads that one beside ours and the JVM crashes in
     * LibTorch's initialisation. With the whole folder extracted, the dependency resolves next to its user.
     */
    private static void extractAll() {
        String folder = "/org/bytedeco/pytorch/" + Loader.getPlatform() + System.getProperty(EXTENSION_PROPERTY, "")
                + "/";
        try {
            Loader.cacheResources(torch.class, folder);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot extract LibTorch's natives (" + folder + ") into JavaCPP's cache: "
                    + e.getMessage(), e);
        }
    }

    private static IllegalStateException gpuRuntimeMissing(String what) {
        return new IllegalStateException("this is the GPU build of oisr-stream: it needs " + CUDA_RUNTIME
                + " on the library path (LD_LIBRARY_PATH), but " + what
                + "; install them (e.g. an nvidia/cuda 13.1 cudnn runtime image) or use the CPU build");
    }

    /**
     * Whether LibTorch's CUDA library is in this process. JavaCPP loads the GPU build's CPU part even when
     * {@code libtorch_cuda.so} fails (CUDA's runtime present, cuDNN or cuSPARSE missing): LibTorch then works, on
     * the CPU only. Linux lists the mapped libraries in /proc/self/maps; elsewhere this cannot be told and is assumed.
     */
    private static boolean cudaBackendMapped() {
        Path maps = Path.of("/proc/self/maps");
        if (!Files.isReadable(maps)) {
            return true;
        }
        try (Stream<String> lines = Files.lines(maps, StandardCharsets.UTF_8)) {
            return lines.anyMatch(l -> l.endsWith("/" + GPU_MARKER));
        } catch (IOException | UncheckedIOException e) {
            return true;
        }
    }

    private static String gpuFolder() {
        return "/org/bytedeco/pytorch/" + Loader.getPlatform() + GPU_EXTENSION + "/";
    }

    /**
     * The libraries LibTorch's CUDA library needs and the dynamic linker cannot find, from {@code ldd} on the
     * extracted file (nothing is loaded). Empty when all are there, or when {@code ldd} cannot tell.
     */
    private static List<String> missingCudaLibraries() {
        try {
            File cuda = Loader.cacheResource(torch.class, gpuFolder() + GPU_MARKER);
            if (cuda == null) {
                return List.of();
            }
            Process ldd = new ProcessBuilder("ldd", cuda.getAbsolutePath()).redirectErrorStream(true).start();
            String out = new String(ldd.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            ldd.waitFor(30, TimeUnit.SECONDS);
            return out.lines().filter(l -> l.contains("=> not found")).map(l -> l.strip().split("\\s")[0]).toList();
        } catch (IOException | RuntimeException e) {
            return List.of();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return List.of();
        }
    }
}
