package org.oisrstream.model.infer;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * Child JVM of {@link TorchNativesFirstLoadTest}: loads LibTorch (into whatever JavaCPP cache folder it was given)
 * and prints the path of every LibTorch library now mapped into the process.
 */
final class FirstLoadProbe {

    private FirstLoadProbe() {
    }

    public static void main(String[] args) throws Exception {
        TorchNatives.ensureLoaded();
        try (Stream<String> maps = Files.lines(Path.of("/proc/self/maps"))) {
            maps.map(line -> line.substring(line.indexOf('/') < 0 ? line.length() : line.indexOf('/')))
                    .filter(path -> path.contains("/libtorch") || path.contains("/libc10"))
                    .distinct()
                    .forEach(System.out::println);
        }
    }
}
