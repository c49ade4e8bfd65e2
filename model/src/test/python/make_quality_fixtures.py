#!/usr/bin/python3
"""Independent reference values for org.oisrstream.model.quality (PSNR, SSIM, MATLAB bicubic imresize).

Writes small test images and their expected metrics / resize results to model/src/test/resources/quality/.
Run from the repository root with /usr/bin/python3 (numpy, scipy, PIL):

    /usr/bin/python3 model/src/test/python/make_quality_fixtures.py

The ports follow the MATLAB sources directly:
- rgb2ycbcr on double input: Y = (65.481 R + 128.553 G + 24.966 B) / 255 + 16 (R, G, B in 0..255), not rounded;
- ssim_index.m (Wang et al.): fspecial('gaussian', 11, 1.5), K = [0.01 0.03], L = 255,
  filter2(window, ., 'valid') (here scipy.signal.correlate2d with the full 2-D window), mean of the map;
- imresize(img, scale, 'bicubic') for uint8: contributions() with antialiasing, symmetric border indices,
  rows resized first, each pass rounded half away from zero and clamped to uint8.
"""
import json
import os

import numpy as np
from PIL import Image
from scipy.ndimage import gaussian_filter
from scipy.signal import correlate2d

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "resources", "quality")


def luma(rgb):
    rgb = rgb.astype(np.float64)
    return (65.481 * rgb[..., 0] + 128.553 * rgb[..., 1] + 24.966 * rgb[..., 2]) / 255 + 16


def shave(plane, border):
    return plane if border == 0 else plane[border:-border, border:-border]


def psnr(a, b):
    mse = np.mean((a.astype(np.float64) - b.astype(np.float64)) ** 2)
    return float(10 * np.log10(255.0 ** 2 / mse))


def fspecial_gaussian(size=11, sigma=1.5):
    half = (size - 1) / 2
    x, y = np.meshgrid(np.arange(-half, half + 1), np.arange(-half, half + 1))
    h = np.exp(-(x * x + y * y) / (2 * sigma * sigma))
    h[h < np.finfo(np.float64).eps * h.max()] = 0
    return h / h.sum()


def ssim(img1, img2):
    window = fspecial_gaussian()
    c1 = (0.01 * 255) ** 2
    c2 = (0.03 * 255) ** 2
    img1 = img1.astype(np.float64)
    img2 = img2.astype(np.float64)
    mu1 = correlate2d(img1, window, "valid")
    mu2 = correlate2d(img2, window, "valid")
    mu1_sq, mu2_sq, mu1_mu2 = mu1 * mu1, mu2 * mu2, mu1 * mu2
    sigma1_sq = correlate2d(img1 * img1, window, "valid") - mu1_sq
    sigma2_sq = correlate2d(img2 * img2, window, "valid") - mu2_sq
    sigma12 = correlate2d(img1 * img2, window, "valid") - mu1_mu2
    ssim_map = ((2 * mu1_mu2 + c1) * (2 * sigma12 + c2)) / ((mu1_sq + mu2_sq + c1) * (sigma1_sq + sigma2_sq + c2))
    return float(ssim_map.mean())


def cubic(x):
    absx = np.abs(x)
    absx2 = absx * absx
    absx3 = absx2 * absx
    return ((1.5 * absx3 - 2.5 * absx2 + 1) * (absx <= 1)
            + (-0.5 * absx3 + 2.5 * absx2 - 4 * absx + 2) * ((1 < absx) & (absx <= 2)))


def contributions(in_length, out_length, scale):
    kernel_width = 4.0
    if scale < 1:
        kernel = lambda x: scale * cubic(scale * x)
        kernel_width = kernel_width / scale
    else:
        kernel = cubic
    x = np.arange(1, out_length + 1, dtype=np.float64)
    u = x / scale + 0.5 * (1 - 1 / scale)
    left = np.floor(u - kernel_width / 2)
    p = int(np.ceil(kernel_width)) + 2
    indices = left[:, None] + np.arange(p)[None, :]
    weights = kernel(u[:, None] - indices)
    weights = weights / np.sum(weights, axis=1, keepdims=True)
    aux = np.concatenate([np.arange(1, in_length + 1), np.arange(in_length, 0, -1)])
    indices = aux[np.mod(indices.astype(np.int64) - 1, len(aux))] - 1
    keep = np.any(weights != 0, axis=0)
    return weights[:, keep], indices[:, keep]


def to_uint8(v):
    return np.clip(np.floor(v + 0.5), 0, 255).astype(np.uint8)


def resize_axis(img, axis, weights, indices):
    moved = np.moveaxis(img, axis, 0).astype(np.float64)
    acc = np.zeros((weights.shape[0],) + moved.shape[1:])
    for k in range(weights.shape[1]):  # sum over taps in order, as imresizemex does
        w = weights[:, k].reshape((-1,) + (1,) * (moved.ndim - 1))
        acc = acc + w * moved[indices[:, k]]
    return np.moveaxis(to_uint8(acc), 0, axis)


def imresize(img, scale):
    out_h = int(np.ceil(scale * img.shape[0]))
    out_w = int(np.ceil(scale * img.shape[1]))
    rows = resize_axis(img, 0, *contributions(img.shape[0], out_h, scale))
    return resize_axis(rows, 1, *contributions(img.shape[1], out_w, scale))


def smooth_image(rng, h, w, channels):
    noise = rng.uniform(0, 255, size=(h, w, channels))
    smooth = gaussian_filter(noise, sigma=(3, 3, 0))
    lo, hi = smooth.min(), smooth.max()
    edges = ((np.arange(w)[None, :] % 16 < 8) * 40.0)[..., None]  # stripes: detail at every scale
    return np.clip((smooth - lo) / (hi - lo) * 200 + edges, 0, 255).round().astype(np.uint8)


def distort(rng, img, sigma):
    return np.clip(img.astype(np.float64) + rng.normal(0, sigma, img.shape), 0, 255).round().astype(np.uint8)


def save(name, array):
    Image.fromarray(array.squeeze() if array.ndim == 3 and array.shape[2] == 1 else array).save(
        os.path.join(OUT, name))
    return name


def main():
    os.makedirs(OUT, exist_ok=True)
    rng = np.random.default_rng(20190616)
    metric_cases = []
    for name, (h, w, channels, sigma, shaves) in {
        "smooth_64x48": (48, 64, 3, 6.0, [0, 2, 4]),
        "odd_37x23": (23, 37, 3, 12.0, [0, 3]),
        "gray_40x40": (40, 40, 1, 9.0, [0, 2]),
    }.items():
        ref = smooth_image(rng, h, w, channels)
        dist = distort(rng, ref, sigma)
        ref_rgb = np.repeat(ref, 3, axis=2) if channels == 1 else ref
        dist_rgb = np.repeat(dist, 3, axis=2) if channels == 1 else dist
        y_ref, y_dist = luma(ref_rgb), luma(dist_rgb)
        metric_cases.append({
            "reference": save(name + "_ref.png", ref),
            "distorted": save(name + "_dist.png", dist),
            "psnrRgb": psnr(dist_rgb, ref_rgb),
            "byShave": [{"shave": s,
                         "psnrY": psnr(shave(y_dist, s), shave(y_ref, s)),
                         "ssimY": ssim(shave(y_dist, s), shave(y_ref, s))} for s in shaves],
        })

    resize_cases = []
    for source, scale in [("smooth_64x48_ref.png", 1 / 4), ("smooth_64x48_ref.png", 1 / 2),
                          ("smooth_64x48_ref.png", 2), ("odd_37x23_ref.png", 1 / 3),
                          ("odd_37x23_ref.png", 3), ("gray_40x40_ref.png", 1 / 3)]:
        img = np.array(Image.open(os.path.join(OUT, source)).convert("RGB"))
        factor = round(1 / scale) if scale < 1 else round(scale)
        kind = "down" if scale < 1 else "up"
        result = imresize(img, scale)
        resize_cases.append({"source": source, "direction": kind, "factor": factor,
                             "expected": save(f"{source[:-8]}_{kind}{factor}.png", result)})

    with open(os.path.join(OUT, "fixtures.json"), "w") as f:
        json.dump({"generator": "model/src/test/python/make_quality_fixtures.py",
                   "metrics": metric_cases, "resize": resize_cases}, f, indent=2)
        f.write("\n")


if __name__ == "__main__":
    main()
