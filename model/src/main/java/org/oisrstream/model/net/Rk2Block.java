package org.oisrstream.model.net;

import org.bytedeco.pytorch.Tensor;

/** OISR-RK2 block (Heun): {@code k1 = P3(P1(x)); k2 = P4(P2(k1 + x)); out = s1*(k2 + k1) + x}, s1 initialised to 0.5. */
public final class Rk2Block extends OisrBlock {

    public Rk2Block(long features) {
        super(features, BlockType.RK2, 0.5);
    }

    @Override
    public Tensor forward(Tensor x) {
        Tensor k1 = step(3, step(1, x));
        Tensor k2 = step(4, step(2, k1.add(x)));
        return k2.add(k1).mul(scale(1)).add(x);
    }
}
