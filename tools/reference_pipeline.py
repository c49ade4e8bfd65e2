#!/usr/bin/python3
"""The reference pipeline `oisr upscale` is measured against (docs/benchmarks.md): FFmpeg decodes the video to
RGB, the independent PyTorch OISR network (model/src/test/python/make_golden.py) upscales each frame with the
shipped weights (channels-last, bf16 autocast on CPUs that have it, batch 1, every core), and FFmpeg encodes
the result. One Python process, FFmpeg in two pipes beside it: what a short script would do.

Usage: /usr/bin/python3 tools/reference_pipeline.py INPUT OUTPUT [--scale 4] [--precision bf16|fp32]
Needs Debian's python3-torch, python3-numpy and ffmpeg (apt-get install python3-torch ffmpeg).
Prints start-up (model load), frames, seconds and frames/s without start-up."""
import argparse
import json
import os
import struct
import subprocess
import sys
import time

import numpy as np
import torch

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "model", "src", "test", "python"))
from make_golden import Net  # noqa: E402

WEIGHTS = os.path.join(ROOT, "model", "src", "main", "resources", "org", "oisrstream", "model", "weights", "default")
DTYPES = {"F32": np.float32, "F16": np.float16}


def read_safetensors(path):
    with open(path, "rb") as f:
        n = struct.unpack("<Q", f.read(8))[0]
        header = json.loads(f.read(n))
        data = f.read()
    tensors = {}
    for name, meta in header.items():
        if name == "__metadata__":
            continue
        start, end = meta["data_offsets"]
        array = np.frombuffer(data[start:end], dtype=DTYPES[meta["dtype"]]).reshape(meta["shape"])
        tensors[name] = torch.from_numpy(array.astype(np.float32))
    return tensors


def probe(path):
    out = subprocess.run(["ffprobe", "-v", "error", "-select_streams", "v:0", "-show_entries",
                          "stream=width,height,avg_frame_rate", "-of", "json", path],
                         check=True, capture_output=True, text=True).stdout
    s = json.loads(out)["streams"][0]
    return s["width"], s["height"], s["avg_frame_rate"]


def native_bf16():
    """The CPU computes in bf16 natively (what oisr's --precision auto asks of a CPU)."""
    try:
        with open("/proc/cpuinfo") as f:
            flags = f.read()
    except OSError:
        return False
    return "avx512_bf16" in flags or "amx_bf16" in flags


def main():
    p = argparse.ArgumentParser()
    p.add_argument("input")
    p.add_argument("output")
    p.add_argument("--scale", type=int, default=4)
    p.add_argument("--precision", choices=["auto", "bf16", "fp32"], default="auto",
                   help="auto: bf16 where the CPU has native bf16 (AVX512-BF16 or AMX), as oisr's --precision auto")
    a = p.parse_args()
    if a.precision == "auto":
        a.precision = "bf16" if native_bf16() else "fp32"
    started = time.perf_counter()
    torch.set_num_threads(os.cpu_count())
    net = Net("lf", 8, 64, a.scale).eval()
    net.load_state_dict(read_safetensors(os.path.join(WEIGHTS, "lf-s-x%d.safetensors" % a.scale)))
    net = net.to(memory_format=torch.channels_last)
    w, h, rate = probe(a.input)
    decoder = subprocess.Popen(["ffmpeg", "-v", "error", "-i", a.input, "-f", "rawvideo", "-pix_fmt", "rgb24", "-"],
                               stdout=subprocess.PIPE)
    encoder = subprocess.Popen(["ffmpeg", "-v", "error", "-y", "-f", "rawvideo", "-pix_fmt", "rgb24", "-s",
                                "%dx%d" % (w * a.scale, h * a.scale), "-r", rate, "-i", "-", "-c:v", "libx264",
                                "-preset", "veryfast", "-crf", "18", "-pix_fmt", "yuv420p", a.output],
                               stdin=subprocess.PIPE)
    ready = time.perf_counter()
    frames = 0
    frame_bytes = w * h * 3
    with torch.no_grad(), torch.autocast("cpu", dtype=torch.bfloat16, enabled=a.precision == "bf16"):
        while True:
            raw = decoder.stdout.read(frame_bytes)
            if len(raw) < frame_bytes:
                break
            x = torch.frombuffer(bytearray(raw), dtype=torch.uint8).view(1, h, w, 3).permute(0, 3, 1, 2).float()
            y = net(x.contiguous(memory_format=torch.channels_last)).float()
            out = y.round().clamp(0, 255).to(torch.uint8).permute(0, 2, 3, 1).contiguous()
            encoder.stdin.write(out.numpy().tobytes())
            frames += 1
    encoder.stdin.close()
    encoder.wait()
    decoder.wait()
    done = time.perf_counter()
    print("reference pipeline: torch %s, %d threads, %s, %dx%d -> %dx%d, %d frames" % (
        torch.__version__, torch.get_num_threads(), a.precision, w, h, w * a.scale, h * a.scale, frames))
    print("  start-up (model load, FFmpeg started): %.1f s; %.1f s for the frames; %.3f frames/s without start-up"
          % (ready - started, done - ready, frames / (done - ready)))


if __name__ == "__main__":
    main()
