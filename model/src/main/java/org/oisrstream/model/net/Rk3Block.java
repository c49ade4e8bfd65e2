package org.oisrstream.model.net;

import org.bytedeco.pytorch.Tensor;

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
        Tensor k1 = step(1, x);
        Tensor k2 = step(2, k1.mul(scale(1)).add(x));
        Tensor k3 = step(3, x.add(k2.mul(scale(2))).add(k1.mul(scale(3))));
        return k3.add(k2.mul(scale(4))).add(k1).mul(scale(5)).add(x);
    }
}
