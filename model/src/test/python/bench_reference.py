#!/usr/bin/python3
"""Times the PyTorch reference network of make_golden.py (same structure as the official code) on this machine,
for docs/benchmarks.md: lf-s x4 on a 320x180 input (1280x720 output), fp32, no_grad, NCHW and channels-last.
Usage: /usr/bin/python3 model/src/test/python/bench_reference.py [iterations]"""
import os
import sys
import time

import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from make_golden import Net  # noqa: E402


def main():
    iterations = int(sys.argv[1]) if len(sys.argv) > 1 else 5
    print("torch", torch.__version__, "threads", torch.get_num_threads())
    net = Net("lf", 8, 64, 4).eval()
    x = torch.rand(1, 3, 180, 320) * 255
    for name, fmt in (("nchw", torch.contiguous_format), ("channels-last", torch.channels_last)):
        model = net.to(memory_format=fmt)
        inp = x.contiguous(memory_format=fmt)
        times = []
        with torch.no_grad():
            for i in range(iterations + 1):
                start = time.perf_counter()
                model(inp)
                if i > 0:
                    times.append(time.perf_counter() - start)
        times.sort()
        median = times[len(times) // 2]
        print("lf-s x4 320x180 fp32 %-13s median %.3f s/frame, best %.3f s (%.1f GFLOP/s at median)"
              % (name, median, times[0], 2 * 114.23e9 / median / 1e9))


if __name__ == "__main__":
    main()
