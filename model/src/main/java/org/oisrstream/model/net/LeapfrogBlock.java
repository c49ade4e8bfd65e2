package org.oisrstream.model.net;

import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;

/**
 * OISR-LF block (leapfrog): {@code y1 = s1*P1(x); y2 = s2*P2(y1) + x; y3 = s3*P3(y2) + y1; out = s4*P4(y3) + y2},
 * scales initialised to 2.
 */
public final class LeapfrogBlock extends OisrBlock {

    public LeapfrogBlock(long features) {
        super(features, BlockType.LF, 2.0, 2.0, 2.0, 2.0);
    }

    @Override
    public Tensor forward(Tensor x) {
        Tensor y1 = Scoped.result(() -> step(1, x).mul(scale(1)));
        Tensor y2 = Scoped.result(() -> torch.addcmul(x, step(2, y1), scale(2)));
        Tensor y3 = Scoped.result(() -> torch.addcmul(y1, step(3, y2), scale(3)));
        return Scoped.result(() -> torch.addcmul(y2, step(4, y3), scale(4)));
    }
}
