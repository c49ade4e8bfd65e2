package org.oisrstream.training.data;

import java.util.List;
import java.util.SplittableRandom;
import org.oisrstream.model.image.RgbImage;

/**
 * Draws minibatches of random LR patches with the matching HR patches, augmented by the 8 flips and 90-degree
 * rotations (horizontal flip, vertical flip, transpose, each with probability 1/2, as EDSR and OISR do).
 *
 * <p>Batch {@code i} depends only on the seed and {@code i}: its random stream is seeded from both. So batches can
 * be made on any number of threads in any order, and a resumed run sees exactly the batches an uninterrupted run
 * would have seen; the sampler's random state is just (seed, next batch index).
 *
 * <p>A {@link #shard} of a sampler draws the same global batch but keeps only its consecutive slice of it, so
 * the replicas of a data-parallel run together see exactly the batches one process would.
 */
public final class PatchSampler {

    private final PairSet set;
    private final List<TrainingPair> pairs;
    private final int batchSize;
    private final int lrPatch;
    private final int scale;
    private final long seed;
    private final boolean augment;
    private final int shardIndex;
    private final int shardCount;

    public PatchSampler(PairSet set, int batchSize, int lrPatch, long seed, boolean augment) {
        this(set, batchSize, lrPatch, seed, augment, 0, 1);
    }

    private PatchSampler(PairSet set, int batchSize, int lrPatch, long seed, boolean augment, int shardIndex,
                         int shardCount) {
        if (batchSize < 1 || lrPatch < 1) {
            throw new IllegalArgumentException("batch size and patch size must be positive");
        }
        this.set = set;
        this.pairs = set.pairs();
        this.batchSize = batchSize;
        this.lrPatch = lrPatch;
        this.scale = set.scale();
        this.seed = seed;
        this.augment = augment;
        if (shardCount < 1 || shardIndex < 0 || shardIndex >= shardCount || batchSize % shardCount != 0) {
            throw new IllegalArgumentException("a batch of " + batchSize + " cannot be split into " + shardCount
                    + " equal shards");
        }
        this.shardIndex = shardIndex;
        this.shardCount = shardCount;
        for (TrainingPair p : pairs) {
            if (p.lr().width() < lrPatch || p.lr().height() < lrPatch) {
                throw new IllegalArgumentException(p.name() + ": LR " + p.lr().width() + "x" + p.lr().height()
                        + " is smaller than the " + lrPatch + "x" + lrPatch + " patch");
            }
        }
        if (pairs.isEmpty()) {
            throw new IllegalArgumentException("no training images");
        }
    }

    /** This sampler's part {@code index} of {@code count} equal parts of every batch. */
    public PatchSampler shard(int index, int count) {
        return new PatchSampler(set, batchSize, lrPatch, seed, augment,
                index, count);
    }

    /** Patches per batch this sampler hands out (the global batch divided by the number of shards). */
    public int batchSize() {
        return batchSize / shardCount;
    }

    public int lrPatch() {
        return lrPatch;
    }

    public int scale() {
        return scale;
    }

    public PatchBatch batch(long index) {
        SplittableRandom random = new SplittableRandom(mix(seed, index));
        int hrPatch = lrPatch * scale;
        int size = batchSize / shardCount;
        int first = shardIndex * size;
        byte[] lr = new byte[size * lrPatch * lrPatch * 3];
        byte[] hr = new byte[size * hrPatch * hrPatch * 3];
        for (int g = 0; g < batchSize; g++) {
            TrainingPair pair = pairs.get(random.nextInt(pairs.size()));
            int x = random.nextInt(pair.lr().width() - lrPatch + 1);
            int y = random.nextInt(pair.lr().height() - lrPatch + 1);
            boolean hflip = augment && random.nextBoolean();
            boolean vflip = augment && random.nextBoolean();
            boolean transpose = augment && random.nextBoolean();
            int b = g - first;
            if (b < 0 || b >= size) {
                continue; // another shard's patch: its random draws are consumed all the same
            }
            copyPatch(pair.lr(), x, y, lrPatch, hflip, vflip, transpose, lr, b * lrPatch * lrPatch * 3);
            copyPatch(pair.hr(), x * scale, y * scale, hrPatch, hflip, vflip, transpose, hr, b * hrPatch * hrPatch * 3);
        }
        return new PatchBatch(index, size, lrPatch, scale, lr, hr);
    }

    /**
     * Copies the {@code size x size} square at (x0, y0) into {@code out}: flipped left-right and/or top-bottom,
     * then transposed, each when asked.
     */
    static void copyPatch(RgbImage image, int x0, int y0, int size, boolean hflip, boolean vflip, boolean transpose,
                          byte[] out, int offset) {
        byte[] src = image.pixels();
        int width = image.width();
        int o = offset;
        for (int oy = 0; oy < size; oy++) {
            for (int ox = 0; ox < size; ox++) {
                int r = transpose ? ox : oy;
                int c = transpose ? oy : ox;
                int sy = y0 + (vflip ? size - 1 - r : r);
                int sx = x0 + (hflip ? size - 1 - c : c);
                int s = (sy * width + sx) * 3;
                out[o] = src[s];
                out[o + 1] = src[s + 1];
                out[o + 2] = src[s + 2];
                o += 3;
            }
        }
    }

    /** SplitMix64-style mixing, so neighbouring batch indices get unrelated streams. */
    static long mix(long seed, long index) {
        long z = seed * 0x9E3779B97F4A7C15L + index;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
