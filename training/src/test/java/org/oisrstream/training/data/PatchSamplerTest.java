package org.oisrstream.training.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.oisrstream.model.image.RgbImage;

class PatchSamplerTest {

    /** An LR image of random pixels and an HR image whose every s x s block repeats one LR pixel. */
    private static TrainingPair blockPair(int lrW, int lrH, int scale, long seed) {
        byte[] lr = new byte[lrW * lrH * 3];
        new Random(seed).nextBytes(lr);
        byte[] hr = new byte[lrW * scale * lrH * scale * 3];
        for (int y = 0; y < lrH * scale; y++) {
            for (int x = 0; x < lrW * scale; x++) {
                System.arraycopy(lr, ((y / scale) * lrW + x / scale) * 3, hr, (y * lrW * scale + x) * 3, 3);
            }
        }
        return new TrainingPair("p" + seed, new RgbImage(lrW * scale, lrH * scale, hr), new RgbImage(lrW, lrH, lr));
    }

    @Test
    void hrPatchesMatchTheirLrPatchesUnderEveryFlipAndRotation() {
        int scale = 3;
        PairSet set = new PairSet("blocks", scale, List.of(blockPair(30, 20, scale, 1), blockPair(17, 25, scale, 2)), List.of());
        PatchSampler sampler = new PatchSampler(set, 8, 6, 42, true);
        for (long index = 0; index < 20; index++) {
            PatchBatch batch = sampler.batch(index);
            int p = batch.lrPatch();
            int hp = batch.hrPatch();
            for (int b = 0; b < batch.size(); b++) {
                for (int y = 0; y < hp; y++) {
                    for (int x = 0; x < hp; x++) {
                        for (int c = 0; c < 3; c++) {
                            byte h = batch.hr()[((b * hp + y) * hp + x) * 3 + c];
                            byte l = batch.lr()[((b * p + y / scale) * p + x / scale) * 3 + c];
                            assertEquals(l, h, "batch " + index + " sample " + b + " at " + x + "," + y);
                        }
                    }
                }
            }
        }
    }

    @Test
    void augmentationProducesAllEightOrientations() {
        // A 2x2 LR image with four distinct pixels: the patch is the whole image, so only the orientation varies.
        byte[] lr = {0, 0, 0, 1, 1, 1, 2, 2, 2, 3, 3, 3};
        RgbImage image = new RgbImage(2, 2, lr);
        TrainingPair pair = new TrainingPair("tiny", image, image);
        PatchSampler sampler = new PatchSampler(new PairSet("t", 1, List.of(pair), List.of()), 1, 2, 9, true);
        Set<String> seen = new HashSet<>();
        for (long i = 0; i < 200; i++) {
            byte[] patch = sampler.batch(i).lr();
            seen.add("" + patch[0] + patch[3] + patch[6] + patch[9]);
        }
        assertEquals(Set.of("0123", "1032", "2301", "3210", "0213", "2031", "1302", "3120"), seen);
    }

    @Test
    void aBatchDependsOnlyOnSeedAndIndex() {
        PairSet set = new PairSet("blocks", 2, List.of(blockPair(40, 30, 2, 1)), List.of());
        PatchSampler a = new PatchSampler(set, 4, 8, 5, true);
        PatchSampler b = new PatchSampler(set, 4, 8, 5, true);
        b.batch(3);
        assertArrayEquals(a.batch(7).hr(), b.batch(7).hr());
        assertFalse(java.util.Arrays.equals(a.batch(7).lr(), a.batch(8).lr()));
        assertFalse(java.util.Arrays.equals(a.batch(7).lr(), new PatchSampler(set, 4, 8, 6, true).batch(7).lr()));
    }

    @Test
    void prefetcherHandsOutBatchesInOrderAndCountsWaiting() {
        PairSet set = new PairSet("blocks", 2, List.of(blockPair(40, 30, 2, 1)), List.of());
        PatchSampler sampler = new PatchSampler(set, 4, 8, 5, true);
        try (BatchPrefetcher prefetcher = new BatchPrefetcher(sampler, 10, 2, 3)) {
            for (long i = 10; i < 20; i++) {
                PatchBatch batch = prefetcher.next();
                assertEquals(i, batch.index());
                assertArrayEquals(sampler.batch(i).lr(), batch.lr());
            }
            assertTrue(prefetcher.waitNanos() >= 0);
        }
    }

    @Test
    void imagesSmallerThanThePatchAreRejected() {
        PairSet set = new PairSet("small", 2, List.of(blockPair(5, 5, 2, 1)), List.of());
        assertThrows(IllegalArgumentException.class, () -> new PatchSampler(set, 4, 8, 5, true));
    }

    @Test
    void shardsTogetherAreTheGlobalBatchInOrder() {
        int scale = 2;
        PairSet set = new PairSet("blocks", scale, List.of(blockPair(30, 20, scale, 1), blockPair(17, 25, scale, 2)), List.of());
        PatchSampler whole = new PatchSampler(set, 6, 5, 11, true);
        PatchSampler first = whole.shard(0, 2);
        PatchSampler second = whole.shard(1, 2);
        assertEquals(3, first.batchSize());
        for (long i = 0; i < 5; i++) {
            PatchBatch all = whole.batch(i);
            PatchBatch a = first.batch(i);
            PatchBatch b = second.batch(i);
            assertEquals(3, a.size());
            byte[] joined = new byte[all.lr().length];
            System.arraycopy(a.lr(), 0, joined, 0, a.lr().length);
            System.arraycopy(b.lr(), 0, joined, a.lr().length, b.lr().length);
            assertArrayEquals(all.lr(), joined);
            byte[] joinedHr = new byte[all.hr().length];
            System.arraycopy(a.hr(), 0, joinedHr, 0, a.hr().length);
            System.arraycopy(b.hr(), 0, joinedHr, a.hr().length, b.hr().length);
            assertArrayEquals(all.hr(), joinedHr);
        }
        assertThrows(IllegalArgumentException.class, () -> whole.shard(0, 4), "6 does not split into 4");
    }
}
