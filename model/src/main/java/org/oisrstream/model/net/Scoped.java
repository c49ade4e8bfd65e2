package org.oisrstream.model.net;

import java.util.function.Supplier;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Tensor;

/**
 * Frees a computation's intermediate tensors as soon as it returns. A JavaCPP tensor's memory is released when the
 * {@link PointerScope} it was made in closes, so without this every intermediate of a forward pass (about 130
 * trunk activations of 16 MB each for lf-s at 480x270) stays alive until the caller's scope ends: 2 GB of peak
 * memory for a pass whose live set is a few hundred MB. Autograd keeps what backward needs through its own
 * references, so training is unaffected.
 */
final class Scoped {

    private Scoped() {
    }

    /**
     * Runs {@code computation} in a scope of its own and moves only its result to the enclosing scope. Outside any
     * scope it just runs (the tensors are then the garbage collector's). {@code computation} must return a tensor
     * it created, not one of its inputs.
     */
    static Tensor result(Supplier<Tensor> computation) {
        PointerScope outer = PointerScope.getInnerScope();
        if (outer == null) {
            return computation.get();
        }
        try (PointerScope inner = new PointerScope()) {
            Tensor result = computation.get();
            outer.attach(result);
            return result;
        }
    }
}
