package org.oisrstream.model.infer;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/** What the CPU can do natively, from the kernel's view of it ({@code /proc/cpuinfo} flags, Linux). */
public record CpuFeatures(Set<String> flags) {

    private static final Path CPUINFO = Path.of("/proc/cpuinfo");
    private static volatile CpuFeatures host;

    /** This machine's features; none where {@code /proc/cpuinfo} cannot be read (then nothing is assumed). */
    public static CpuFeatures host() {
        CpuFeatures cached = host;
        if (cached == null) {
            cached = read(CPUINFO);
            host = cached;
        }
        return cached;
    }

    static CpuFeatures read(Path cpuinfo) {
        try (Stream<String> lines = Files.lines(cpuinfo)) {
            return parse(lines);
        } catch (IOException | RuntimeException e) {
            return new CpuFeatures(Set.of());
        }
    }

    /** The flags of the first processor listed ({@code flags : a b c}). */
    static CpuFeatures parse(Stream<String> cpuinfoLines) {
        return cpuinfoLines.filter(l -> l.startsWith("flags"))
                .findFirst()
                .map(l -> l.substring(l.indexOf(':') + 1).strip().toLowerCase(Locale.ROOT))
                .map(f -> new CpuFeatures(Stream.of(f.split("\\s+")).collect(Collectors.toUnmodifiableSet())))
                .orElse(new CpuFeatures(Set.of()));
    }

    /** bf16 dot products in hardware (AVX512-BF16 or AMX-BF16), which make bf16 convolutions about 2x fp32's speed. */
    public boolean nativeBf16() {
        return flags.contains("avx512_bf16") || flags.contains("amx_bf16");
    }
}
