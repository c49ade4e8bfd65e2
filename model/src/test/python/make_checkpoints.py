#!/usr/bin/python3
"""Generates the small PyTorch checkpoints the Java weights tests read (run once; outputs are committed).

Run with the system Python that has torch 1.13:  /usr/bin/python3 model/src/test/python/make_checkpoints.py
Writes into model/src/test/resources/weights/. The tests never run Python.

Files:
  tiny_lf_x2_legacy.pt        OISR-like LF state dict (2 blocks, 8 features, x2), legacy (pre-1.6) torch.save format
  tiny_lf_x2_zip.pt           the same state dict, zip format
  tiny_lf_x2_fp16_legacy.pt   fp16 copy, legacy format
  tiny_lf_x2_fp16_zip.pt      fp16 copy, zip format
  tiny_lf_x2_wrapped.pt       {'epoch', 'state_dict': {'module.'+key: tensor}, 'optimizer'}, legacy format
  tiny_lf_x2_wrapped_zip.pt   the same wrapper, zip format, pickle protocol 4 (STACK_GLOBAL opcodes)
  tiny_lf_x2_expected.safetensors        expected fp32 values (safetensors written by hand below)
  tiny_lf_x2_fp16_expected.safetensors   expected fp16 values
  views_legacy.pt / views_zip.pt         tensors that are views: storage offsets, transposed/sliced strides,
                                         stride 0 (expand), shared storages, an fp16 view
  views_expected.safetensors             their values, made contiguous
  storage_view_legacy.pt      a hand-made legacy file in the PyTorch 0.4 layout whose storage persistent id carries
                              view metadata (view_key, offset, size), as old torch.save wrote for storage views
  storage_view_expected.safetensors
  lf_s_x4_expanded_legacy.pt  full lf-s x4 keys and shapes (8 blocks, 64 features), legacy format, each 4-d tensor
                              a stride-0 expansion of an (F, 1, 1, 1) storage so the file stays small; also copied
                              to jobs/src/test/resources/weights for the convert CLI test
  lf_s_x4_expanded_expected.safetensors   its storages: 4-d tensors as (F, 1, 1, 1), others whole
  malicious_legacy.pt / malicious_zip.pt / malicious_zip_proto4.pt
                              state dicts with an entry whose __reduce__ calls os.system('touch MARKER');
                              malicious_marker.txt holds MARKER (a random /tmp path) so the test can check it
"""
import collections
import io
import json
import os
import pickle
import secrets
import shutil
import struct
import sys

import torch
import torch.nn as nn

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "resources", "weights")


class MeanShift(nn.Conv2d):
    def __init__(self):
        super().__init__(3, 3, kernel_size=1)


class LfBlock(nn.Module):
    """Parameter layout of an OISR-LF block as org.oisrstream.model.net builds it: scale1..4, conv1..4, PReLU
    relu1..4 (scales registered first, so they come first in the state dict, as in the official code)."""

    def __init__(self, f):
        super().__init__()
        for i in range(1, 5):
            setattr(self, "scale%d" % i, nn.Parameter(torch.FloatTensor([0.5])))
        for i in range(1, 5):
            setattr(self, "conv%d" % i, nn.Conv2d(f, f, 3, padding=1))
        for i in range(1, 5):
            setattr(self, "relu%d" % i, nn.PReLU(f, 0.25))


class TinyOisr(nn.Module):
    def __init__(self, blocks=2, f=8, scale=2):
        super().__init__()
        assert scale in (2, 4)
        self.sub_mean = MeanShift()
        self.head = nn.Sequential(nn.Conv2d(3, f, 3, padding=1))
        self.body = nn.Sequential(*[LfBlock(f) for _ in range(blocks)], nn.Conv2d(f, f, 3, padding=1))
        upsampler = []
        for _ in range(scale // 2):
            upsampler += [nn.Conv2d(f, 4 * f, 3, padding=1), nn.PixelShuffle(2)]
        self.tail = nn.Sequential(nn.Sequential(*upsampler), nn.Conv2d(f, 3, 3, padding=1))
        self.add_mean = MeanShift()


def tiny_state_dict():
    torch.manual_seed(20190616)
    model = TinyOisr()
    with torch.no_grad():
        for p in model.parameters():
            p.copy_(torch.randn_like(p))
    return model.state_dict()  # OrderedDict with a _metadata attribute, like the published checkpoints


def expanded_lf_s_x4():
    """An lf-s x4 state dict (8 blocks, 64 features) of full shapes whose tensors are stride-0 expansions of small
    random storages, so the file stays a few kilobytes while keys and shapes are those of the published network."""
    torch.manual_seed(4)
    sd = TinyOisr(blocks=8, f=64, scale=4).state_dict()
    out = collections.OrderedDict()
    for k, v in sd.items():
        if v.dim() == 4:
            out[k] = torch.randn(v.shape[0], 1, 1, 1).expand(*v.shape)
        else:
            out[k] = torch.randn(*v.shape)
    out._metadata = sd._metadata
    return out


def write_safetensors(path, tensors, metadata=None):
    """Minimal safetensors writer (header JSON + raw little-endian data), independent of the Java code."""
    dtype_names = {torch.float32: "F32", torch.float16: "F16", torch.bfloat16: "BF16", torch.float64: "F64",
                   torch.int64: "I64", torch.int32: "I32", torch.uint8: "U8"}
    header = {}
    if metadata:
        header["__metadata__"] = metadata
    blobs = []
    offset = 0
    for name, t in tensors.items():
        t = t.detach().contiguous()
        blob = t.numpy().tobytes() if t.dtype != torch.bfloat16 else t.view(torch.int16).numpy().tobytes()
        header[name] = {"dtype": dtype_names[t.dtype], "shape": list(t.shape),
                        "data_offsets": [offset, offset + len(blob)]}
        offset += len(blob)
        blobs.append(blob)
    text = json.dumps(header, separators=(",", ":")).encode("utf-8")
    text += b" " * ((8 - len(text) % 8) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(text)))
        f.write(text)
        for blob in blobs:
            f.write(blob)


def save_legacy(obj, name):
    torch.save(obj, os.path.join(OUT, name), _use_new_zipfile_serialization=False)


def save_zip(obj, name, protocol=2):
    torch.save(obj, os.path.join(OUT, name), pickle_protocol=protocol)


def check_round_trip(name, expected):
    loaded = torch.load(os.path.join(OUT, name))
    if isinstance(loaded, dict) and "state_dict" in loaded:
        loaded = {k[len("module."):]: v for k, v in loaded["state_dict"].items()}
    assert list(loaded.keys()) == list(expected.keys()), name
    for k in expected:
        assert loaded[k].dtype == expected[k].dtype and torch.equal(loaded[k], expected[k]), (name, k)


def views():
    base = torch.arange(24, dtype=torch.float32).mul_(0.5).sub_(3).view(4, 6)
    d = collections.OrderedDict()
    d["base"] = base
    d["slice"] = base[1:3, 2:5]            # storage offset 8, strides (6, 1)
    d["transposed"] = base.t()             # strides (1, 6)
    d["column"] = base[:, 3]               # storage offset 3, stride 6
    d["every_other"] = base[::2, ::3]      # strides (12, 3)
    d["expanded"] = torch.tensor([1.5, -2.0, 4.25]).view(3, 1).expand(3, 4)  # stride 0
    half = torch.linspace(-2, 2, 12).half().view(3, 4)
    d["half_rows"] = half[1:]              # fp16 view, storage offset 4
    d["scalar"] = base[2, 5]               # 0-dim view, storage offset 17
    for k, t in d.items():
        assert k in ("base",) or not t.is_contiguous() or t.storage_offset() > 0 or t.dim() == 0, k
    return d


class StoragePlaceholder:
    def __init__(self, pid):
        self.pid = pid


class TensorReduce:
    """Pickles as torch._utils._rebuild_tensor_v2(storage, offset, size, stride, False, OrderedDict())."""

    def __init__(self, storage, offset, size, stride):
        self.args = (storage, offset, size, stride, False, collections.OrderedDict())

    def __reduce__(self):
        return torch._utils._rebuild_tensor_v2, self.args


def write_storage_view_legacy(path):
    """A legacy file in the 0.4 layout with storage views, written field by field as torch 0.4.1 did."""
    root = torch.arange(10, dtype=torch.float32).mul_(1.25).add_(-4)
    view_a = StoragePlaceholder(("storage", torch.FloatStorage, "140000001", "cpu", 10, ("140000002", 2, 6)))
    view_b = StoragePlaceholder(("storage", torch.FloatStorage, "140000001", "cpu", 10, ("140000003", 5, 5)))
    obj = collections.OrderedDict()
    obj["a"] = TensorReduce(view_a, 1, (2, 2), (2, 1))     # root[2:8] -> elements 3..6
    obj["b"] = TensorReduce(view_b, 0, (5,), (1,))         # root[5:10]
    expected = collections.OrderedDict(a=root[3:7].view(2, 2).clone(), b=root[5:10].clone())

    class Pickler(pickle.Pickler):
        def persistent_id(self, o):
            return o.pid if isinstance(o, StoragePlaceholder) else None

    with open(path, "wb") as f:
        pickle.dump(0x1950a86a20f9469cfc6c, f, protocol=2)
        pickle.dump(1001, f, protocol=2)
        pickle.dump(dict(protocol_version=1001, little_endian=True,
                         type_sizes=dict(short=2, int=4, long=4)), f, protocol=2)
        Pickler(f, protocol=2).dump(obj)
        pickle.dump(["140000001"], f, protocol=2)
        f.write(struct.pack("<q", 10))
        f.write(root.numpy().tobytes())
    return expected


class Evil:
    def __init__(self, marker):
        self.marker = marker

    def __reduce__(self):
        return os.system, ("touch " + self.marker,)


def main():
    os.makedirs(OUT, exist_ok=True)
    sd = tiny_state_dict()
    assert hasattr(sd, "_metadata")
    save_legacy(sd, "tiny_lf_x2_legacy.pt")
    save_zip(sd, "tiny_lf_x2_zip.pt")
    write_safetensors(os.path.join(OUT, "tiny_lf_x2_expected.safetensors"), sd)
    check_round_trip("tiny_lf_x2_legacy.pt", sd)
    check_round_trip("tiny_lf_x2_zip.pt", sd)

    half = collections.OrderedDict((k, v.half()) for k, v in sd.items())
    save_legacy(half, "tiny_lf_x2_fp16_legacy.pt")
    save_zip(half, "tiny_lf_x2_fp16_zip.pt")
    write_safetensors(os.path.join(OUT, "tiny_lf_x2_fp16_expected.safetensors"), half)
    check_round_trip("tiny_lf_x2_fp16_legacy.pt", half)

    wrapped = {
        "epoch": 12,
        "state_dict": collections.OrderedDict(("module." + k, v) for k, v in sd.items()),
        "optimizer": {"state": {}, "param_groups": [{"lr": 1e-4, "betas": (0.9, 0.999), "params": [0, 1, 2]}]},
    }
    save_legacy(wrapped, "tiny_lf_x2_wrapped.pt")
    save_zip(wrapped, "tiny_lf_x2_wrapped_zip.pt", protocol=4)
    check_round_trip("tiny_lf_x2_wrapped.pt", sd)
    check_round_trip("tiny_lf_x2_wrapped_zip.pt", sd)

    v = views()
    save_legacy(v, "views_legacy.pt")
    save_zip(v, "views_zip.pt")
    write_safetensors(os.path.join(OUT, "views_expected.safetensors"), v)
    check_round_trip("views_legacy.pt", v)
    check_round_trip("views_zip.pt", v)

    expected = write_storage_view_legacy(os.path.join(OUT, "storage_view_legacy.pt"))
    write_safetensors(os.path.join(OUT, "storage_view_expected.safetensors"), expected)

    lfs = expanded_lf_s_x4()
    save_legacy(lfs, "lf_s_x4_expanded_legacy.pt")
    write_safetensors(os.path.join(OUT, "lf_s_x4_expanded_expected.safetensors"),
                      collections.OrderedDict((k, v[(slice(None),) + (slice(0, 1),) * (v.dim() - 1)])
                                              for k, v in lfs.items()))
    check_round_trip("lf_s_x4_expanded_legacy.pt", lfs)
    jobs_fixtures = os.path.join(OUT, "..", "..", "..", "..", "..", "jobs", "src", "test", "resources", "weights")
    os.makedirs(jobs_fixtures, exist_ok=True)
    shutil.copy(os.path.join(OUT, "lf_s_x4_expanded_legacy.pt"), jobs_fixtures)

    marker = "/tmp/oisr-pwned-" + secrets.token_hex(8)
    evil = collections.OrderedDict()
    evil["head.0.weight"] = torch.ones(2, 2)
    evil["payload"] = Evil(marker)
    save_legacy(evil, "malicious_legacy.pt")
    save_zip(evil, "malicious_zip.pt")
    save_zip(evil, "malicious_zip_proto4.pt", protocol=4)
    with open(os.path.join(OUT, "malicious_marker.txt"), "w") as f:
        f.write(marker + "\n")
    assert not os.path.exists(marker)
    print("wrote fixtures to", os.path.normpath(OUT))


if __name__ == "__main__":
    sys.exit(main())
