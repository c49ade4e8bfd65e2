package org.oisrstream.model.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.junit.jupiter.api.Test;

class ScopedTest {

    @Test
    void intermediatesAreFreedAtOnceAndTheResultLivesOnInTheCallersScope() {
        Tensor[] intermediate = new Tensor[1];
        Tensor result;
        try (PointerScope caller = new PointerScope()) {
            result = Scoped.result(() -> {
                intermediate[0] = torch.ones(4);
                return intermediate[0].mul(new Scalar(3.0));
            });
            assertTrue(intermediate[0].isNull(), "the intermediate is freed when the computation returns");
            assertFalse(result.isNull());
            assertEquals(12.0, result.sum().item_double(), 1e-9);
        }
        assertTrue(result.isNull(), "the result belongs to the caller's scope and goes with it");
    }

    @Test
    void outsideAnyScopeItJustRuns() {
        Tensor result = Scoped.result(() -> torch.ones(2).add(new Scalar(1.0)));
        assertEquals(4.0, result.sum().item_double(), 1e-9);
    }
}
