#!/usr/bin/python3
"""Golden outputs for the Java OISR networks, from an independent PyTorch reference written from the paper's
equations (not from the Java code). Run with /usr/bin/python3 (torch 1.13); writes small safetensors fixtures to
model/src/test/resources/golden/. CI only reads the committed fixtures.

Fixtures:
  blocks.safetensors        LF, RK2 and RK3 blocks with F=4 and random parameters (scales randomised too):
                            '<type>.<param>' plus '<type>.input' and '<type>.output'.
  net-<name>.safetensors    small whole networks with random parameters: the state dict under official keys
                            plus 'golden.input' and 'golden.output'.
  net-lf-s-x2-formula.safetensors  the real lf-s x2 with weights from formula_weights() (reproduced in Java),
                            so only 'golden.input' and 'golden.output' are stored.
"""
import json
import math
import os
import struct

import numpy as np
import torch
import torch.nn as nn

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "resources", "golden")
RGB_MEAN = (0.4488, 0.4371, 0.4040)


def conv(cin, cout, k=3):
    return nn.Conv2d(cin, cout, k, padding=k // 2, bias=True)


class Block(nn.Module):
    """One OISR block; PReLU i and conv i make the step P_i(x) = conv_i(prelu_i(x))."""

    def __init__(self, kind, f):
        super().__init__()
        self.kind = kind
        inits = {"lf": [2.0, 2.0, 2.0, 2.0], "rk2": [0.5], "rk3": [0.5, 2.0, -1.0, 4.0, 1.0 / 6.0]}[kind]
        n = 3 if kind == "rk3" else 4
        for i, v in enumerate(inits, 1):
            setattr(self, "scale%d" % i, nn.Parameter(torch.FloatTensor([v])))
        for i in range(1, n + 1):
            setattr(self, "conv%d" % i, conv(f, f))
        for i in range(1, n + 1):
            setattr(self, "relu%d" % i, nn.PReLU(f, 0.25))

    def P(self, i, x):
        return getattr(self, "conv%d" % i)(getattr(self, "relu%d" % i)(x))

    def forward(self, x):
        s = lambda i: getattr(self, "scale%d" % i)
        if self.kind == "lf":
            y1 = s(1) * self.P(1, x)
            y2 = s(2) * self.P(2, y1) + x
            y3 = s(3) * self.P(3, y2) + y1
            return s(4) * self.P(4, y3) + y2
        if self.kind == "rk2":
            k1 = self.P(3, self.P(1, x))
            k2 = self.P(4, self.P(2, k1 + x))
            return s(1) * (k2 + k1) + x
        k1 = self.P(1, x)
        k2 = self.P(2, s(1) * k1 + x)
        k3 = self.P(3, x + s(2) * k2 + s(3) * k1)
        return s(5) * (k3 + s(4) * k2 + k1) + x


class MeanShift(nn.Conv2d):
    def __init__(self, sign):
        super().__init__(3, 3, 1)
        self.weight.data = torch.eye(3).view(3, 3, 1, 1)
        self.bias.data = sign * 255.0 * torch.tensor(RGB_MEAN)
        for p in self.parameters():
            p.requires_grad = False


class Net(nn.Module):
    def __init__(self, kind, blocks, f, scale):
        super().__init__()
        self.sub_mean = MeanShift(-1)
        self.add_mean = MeanShift(+1)
        self.head = nn.Sequential(conv(3, f))
        self.body = nn.Sequential(*[Block(kind, f) for _ in range(blocks)], conv(f, f))
        if scale == 4:
            up = [conv(f, 4 * f), nn.PixelShuffle(2), conv(f, 4 * f), nn.PixelShuffle(2)]
        else:
            up = [conv(f, scale * scale * f), nn.PixelShuffle(scale)]
        self.tail = nn.Sequential(nn.Sequential(*up), conv(f, 3))

    def forward(self, x):
        x = self.sub_mean(x)
        h = self.head(x)
        res = self.body(h) + h
        return self.add_mean(self.tail(res))


def write_safetensors(path, tensors, metadata=None):
    header, blobs, offset = {}, [], 0
    for name, t in tensors.items():
        data = t.detach().to(torch.float32).contiguous().numpy().astype("<f4").tobytes()
        header[name] = {"dtype": "F32", "shape": list(t.shape), "data_offsets": [offset, offset + len(data)]}
        blobs.append(data)
        offset += len(data)
    if metadata:
        header["__metadata__"] = metadata
    raw = json.dumps(header, separators=(",", ":")).encode()
    raw += b" " * (-len(raw) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(raw)))
        f.write(raw)
        for b in blobs:
            f.write(b)
    print("wrote", os.path.relpath(path), os.path.getsize(path), "bytes")


def randomise(module, gen):
    """Random values everywhere (PReLU slopes and scales too) so every term of the equations matters."""
    with torch.no_grad():
        for name, p in module.named_parameters():
            if not p.requires_grad:
                continue
            if "scale" in name:
                p.copy_(p + 0.3 * torch.randn(p.shape, generator=gen))
            elif "relu" in name:
                p.copy_(0.1 + 0.3 * torch.rand(p.shape, generator=gen))
            else:
                fan_in = p[0].numel() if p.dim() > 1 else 16
                p.copy_(torch.randn(p.shape, generator=gen) / math.sqrt(fan_in))


def formula_value(key, shape):
    """Deterministic weights also computed by the Java test (exact integer arithmetic, then doubles)."""
    k = sum(ord(c) for c in key) + 31 * len(key)
    n = int(np.prod(shape))
    i = np.arange(n, dtype=np.int64)
    q = ((i * 7919 + k * 104729) % 2001 - 1000).astype(np.float64) / 1000.0
    if key.endswith("weight") and len(shape) == 4:
        amp = 1.0 / math.sqrt(shape[1] * shape[2] * shape[3])
        base = 0.0
    elif ".relu" in key:
        amp, base = 0.1, 0.25
    elif ".scale" in key:
        amp, base = 0.1, 1.0
    else:
        amp, base = 0.05, 0.0
    return torch.from_numpy((base + amp * q).astype(np.float32)).reshape(shape)


def main():
    os.makedirs(OUT, exist_ok=True)
    torch.set_num_threads(1)
    gen = torch.Generator().manual_seed(20190616)

    tensors = {}
    for kind in ("lf", "rk2", "rk3"):
        block = Block(kind, 4)
        randomise(block, gen)
        x = torch.randn(2, 4, 5, 6, generator=gen)
        with torch.no_grad():
            y = block(x)
        for name, p in block.state_dict().items():
            tensors["%s.%s" % (kind, name)] = p
        tensors[kind + ".input"] = x
        tensors[kind + ".output"] = y
    write_safetensors(os.path.join(OUT, "blocks.safetensors"), tensors)

    for kind, blocks, f, scale in (("lf", 2, 8, 2), ("rk2", 2, 6, 4), ("rk3", 2, 8, 3)):
        net = Net(kind, blocks, f, scale)
        randomise(net, gen)
        x = torch.rand(1, 3, 5, 7, generator=gen) * 255.0
        with torch.no_grad():
            y = net(x)
        tensors = dict(net.state_dict())
        tensors["golden.input"] = x
        tensors["golden.output"] = y
        name = "net-%s-b%df%dx%d.safetensors" % (kind, blocks, f, scale)
        write_safetensors(os.path.join(OUT, name), tensors,
                          {"architecture": "%s B=%d F=%d x%d" % (kind.upper(), blocks, f, scale)})

    net = Net("lf", 8, 64, 2)
    with torch.no_grad():
        for key, p in net.state_dict().items():
            if not key.startswith(("sub_mean", "add_mean")):
                p.copy_(formula_value(key, tuple(p.shape)))
        x = torch.rand(1, 3, 6, 7, generator=gen) * 255.0
        y = net(x)
    write_safetensors(os.path.join(OUT, "net-lf-s-x2-formula.safetensors"),
                      {"golden.input": x, "golden.output": y}, {"keys": ",".join(net.state_dict().keys())})


if __name__ == "__main__":
    main()
