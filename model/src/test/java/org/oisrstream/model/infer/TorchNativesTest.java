package org.oisrstream.model.infer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The CPU build (this module's default profile): no CUDA natives, LibTorch loads from the plain platform folder. */
class TorchNativesTest {

    @Test
    void theCpuBuildLoadsLibTorchWithoutAskingForCuda() {
        assertFalse(TorchNatives.isGpuBuild(), "the default profile has no linux-x86_64-gpu natives");
        String path = TorchNatives.ensureLoaded();
        assertTrue(path.contains("libjnitorch"), path);
        assertFalse(path.contains("-gpu"), path);
        assertEquals(path, TorchNatives.ensureLoaded(), "loaded once");
    }
}
