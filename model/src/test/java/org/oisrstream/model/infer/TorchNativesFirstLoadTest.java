package org.oisrstream.model.infer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.oisrstream.model.util.Folders;

/**
 * The first run on a machine: LibTorch loads from an empty JavaCPP cache, in a child JVM, and every LibTorch library
 * in the process comes from that cache. Where a system LibTorch is installed (Debian's python3-torch puts
 * libtorch_cpu.so on the linker's default path), loading library by library as JavaCPP extracts them picked that
 * one up beside ours and crashed the JVM.
 */
class TorchNativesFirstLoadTest {

    @Test
    void anEmptyCacheIsFilledBeforeTheFirstLibraryLoads() throws Exception {
        assumeTrue(Files.isReadable(Path.of("/proc/self/maps")), "needs Linux's /proc/self/maps");
        // Not JUnit's @TempDir: JavaCPP links CUDA libraries of the system into the cache, and JUnit warns about
        // every such link it deletes.
        Path cache = Files.createTempDirectory("oisr-javacpp-cache-");
        try {
            probe(cache);
        } finally {
            Folders.deleteQuietly(cache);
        }
    }

    private static void probe(Path cache) throws Exception {
        Path output = cache.resolve("probe.txt");
        Process probe = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-Dorg.bytedeco.javacpp.cachedir=" + cache, "-cp", System.getProperty("java.class.path"),
                FirstLoadProbe.class.getName())
                .redirectErrorStream(true).redirectOutput(output.toFile()).start();
        assertTrue(probe.waitFor(5, TimeUnit.MINUTES), "LibTorch loads within 5 minutes");
        List<String> lines = Files.readAllLines(output, StandardCharsets.UTF_8);
        Files.deleteIfExists(output);
        assertEquals(0, probe.exitValue(), () -> "the probe failed:\n" + String.join("\n", lines));
        List<String> mapped = lines.stream().filter(l -> l.startsWith("/")).toList();
        assertFalse(mapped.isEmpty(), () -> "no LibTorch library mapped:\n" + String.join("\n", lines));
        String ours = cache.toRealPath().toString();
        for (String library : mapped) {
            assertTrue(library.startsWith(ours), () -> library + " is not from the JavaCPP cache " + ours);
        }
        assertTrue(mapped.stream().anyMatch(l -> l.endsWith("/libtorch_cpu.so")), mapped::toString);
    }
}
