package org.oisrstream.model.net;

import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;

/** OISR-RK2 block (Heun): {@code k1 = P3(P1(x)); k2 = P4(P2(k1 + x)); out = s1*(k2 + k1) + x}, s1 initialised to 0.5. */
public final class Rk2Block extends OisrBlock {

    public Rk2Block(long features) {
        super(features, BlockType.RK2, 0.5);
    }

    @Override
    public Tensor forward(Tensor x) {
        Tensor k1 = Scoped.result(() -> step(3, step(1, x)));
        Tensor k2 = Scoped.result(() -> step(4, step(2, k1.add(x))));
        return Scoped.result(() -> torch.addcmul(x, k2.add(k1), scale(1)));
    }
}
