package org.oisrstream.model.net;

import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;

/**
 * OISR-RK3 block (third-order Runge-Kutta): {@code k1 = P1(x); k2 = P2(s1*k1 + x); k3 = P3(x + s2*k2 + s3*k1);
 * out = s5*(k3 + s4*k2 + k1) + x}, with s1..s5 initialised to 0.5, 2, -1, 4, 1/6.
 */
public final class Rk3Block extends OisrBlock {

    public Rk3Block(long features) {
        super(features, BlockType.RK3, 0.5, 2.0, -1.0, 4.0, 1.0 / 6.0);
    }

    @Override
    public Tensor forward(Tensor x) {
        Tensor k1 = Scoped.result(() -> step(1, x));
        Tensor k2 = Scoped.result(() -> step(2, torch.addcmul(x, k1, scale(1))));
        Tensor k3 = Scoped.result(() -> step(3, torch.addcmul(torch.addcmul(x, k2, scale(2)), k1, scale(3))));
        return Scoped.result(() -> torch.addcmul(x, torch.addcmul(k3, k2, scale(4)).add(k1), scale(5)));
    }
}
