package org.oisrstream.training.data;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.oisrstream.model.image.ImageFiles;
import org.oisrstream.model.image.RgbImage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decodes the images of a data set once, crops each HR image to a multiple of the scale (top-left, like MATLAB's
 * modcrop), pairs it with its LR image (read from the data set, or made by the {@link Downscaler}), and keeps the
 * result in memory; with a cache folder it also stores the pairs in one binary file, so a later run (or a resumed
 * one) does not decode or downscale again. Unreadable images and images too small for a patch are skipped and
 * reported; a set with nothing usable is an error.
 */
public final class PairLoader {

    private static final Logger LOG = LoggerFactory.getLogger(PairLoader.class);

    private final Downscaler downscaler;
    private final int minLrSide;
    private final int threads;
    private final Optional<Path> cacheDir;

    /**
     * @param minLrSide images whose LR side is smaller than this (the LR patch size for training, 1 for validation)
     *                  are skipped
     */
    public PairLoader(Downscaler downscaler, int minLrSide, int threads, Optional<Path> cacheDir) {
        this.downscaler = downscaler;
        this.minLrSide = minLrSide;
        this.threads = Math.max(1, threads);
        this.cacheDir = cacheDir;
    }

    public PairSet load(String setName, List<ImageEntry> entries, int scale) throws IOException {
        if (entries.isEmpty()) {
            throw new IllegalArgumentException(setName + ": no PNG, JPEG or BMP images found");
        }
        Optional<Path> cacheFile = cacheDir.map(dir -> dir.resolve(cacheFileName(setName, entries, scale)));
        if (cacheFile.isPresent() && Files.isRegularFile(cacheFile.get())) {
            try {
                PairSet cached = PairCacheFile.read(cacheFile.get(), setName, scale);
                LOG.info("{}: {} image pairs from cache {}", setName, cached.pairs().size(), cacheFile.get());
                reportSkipped(cached);
                return requireUsable(cached);
            } catch (IOException | RuntimeException e) {
                LOG.warn("{}: ignoring unreadable cache {} ({}); decoding again", setName, cacheFile.get(), e.getMessage());
            }
        }
        PairSet set = decode(setName, entries, scale);
        reportSkipped(set);
        requireUsable(set);
        if (cacheFile.isPresent()) {
            PairCacheFile.write(cacheFile.get(), set);
            LOG.info("{}: cached {} pairs in {}", setName, set.pairs().size(), cacheFile.get());
        }
        return set;
    }

    private static void reportSkipped(PairSet set) {
        for (SkippedImage s : set.skipped()) {
            LOG.warn("{}: skipped {}", set.name(), s);
        }
    }

    private PairSet requireUsable(PairSet set) {
        if (set.pairs().isEmpty()) {
            throw new IllegalArgumentException(set.name() + ": none of the " + set.skipped().size()
                    + " images is usable (first: " + set.skipped().get(0) + ")");
        }
        return set;
    }

    private PairSet decode(String setName, List<ImageEntry> entries, int scale) throws IOException {
        long start = System.nanoTime();
        ExecutorService pool = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "decode-" + setName);
            t.setDaemon(true);
            return t;
        });
        try {
            List<Future<Object>> results = new ArrayList<>();
            for (ImageEntry entry : entries) {
                results.add(pool.submit(() -> pairOrSkip(entry, scale)));
            }
            List<TrainingPair> pairs = new ArrayList<>();
            List<SkippedImage> skipped = new ArrayList<>();
            for (Future<Object> f : results) {
                Object r = f.get();
                if (r instanceof TrainingPair p) {
                    pairs.add(p);
                } else {
                    skipped.add((SkippedImage) r);
                }
            }
            LOG.info("{}: decoded {} images (x{}) in {} s, {} skipped", setName, pairs.size(), scale,
                    String.format("%.1f", (System.nanoTime() - start) / 1e9), skipped.size());
            return new PairSet(setName, scale, pairs, skipped);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while decoding " + setName, e);
        } catch (ExecutionException e) {
            throw new IOException(setName + ": " + e.getCause().getMessage(), e.getCause());
        } finally {
            pool.shutdownNow();
        }
    }

    /** The pair for one entry, or a {@link SkippedImage} saying why there is none. */
    Object pairOrSkip(ImageEntry entry, int scale) {
        RgbImage hr;
        try {
            hr = ImageFiles.read(entry.hr());
        } catch (IOException | RuntimeException e) {
            return new SkippedImage(entry.hr(), "unreadable (" + e.getMessage() + ")");
        }
        int lrW = hr.width() / scale;
        int lrH = hr.height() / scale;
        RgbImage lr = null;
        if (entry.lr().isPresent()) {
            try {
                lr = ImageFiles.read(entry.lr().get());
            } catch (IOException | RuntimeException e) {
                return new SkippedImage(entry.lr().get(), "unreadable LR image (" + e.getMessage() + ")");
            }
            if (lr.width() > lrW || lr.height() > lrH) {
                return new SkippedImage(entry.lr().get(), "LR image " + lr.width() + "x" + lr.height()
                        + " is larger than HR " + hr.width() + "x" + hr.height() + " / " + scale);
            }
            lrW = lr.width();
            lrH = lr.height();
        }
        if (lrW < minLrSide || lrH < minLrSide) {
            return new SkippedImage(entry.hr(), hr.width() + "x" + hr.height() + " is smaller than one HR patch ("
                    + minLrSide * scale + "x" + minLrSide * scale + " at x" + scale + ")");
        }
        RgbImage croppedHr = hr.width() == lrW * scale && hr.height() == lrH * scale
                ? hr : hr.crop(0, 0, lrW * scale, lrH * scale);
        if (lr == null) {
            lr = downscaler.downscale(croppedHr, scale);
        }
        return new TrainingPair(entry.name(), croppedHr, lr);
    }

    private String cacheFileName(String setName, List<ImageEntry> entries, int scale) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            StringBuilder key = new StringBuilder();
            key.append(PairCacheFile.VERSION).append('|').append(scale).append('|').append(downscaler.id())
                    .append('|').append(minLrSide).append('\n');
            for (ImageEntry e : entries) {
                key.append(e.name()).append('|').append(fileKey(e.hr())).append('|')
                        .append(e.lr().map(PairLoader::fileKey).orElse("-")).append('\n');
            }
            byte[] digest = sha.digest(key.toString().getBytes(StandardCharsets.UTF_8));
            String safeName = setName.replaceAll("[^A-Za-z0-9._-]", "_");
            return "pairs-" + safeName + "-x" + scale + "-" + HexFormat.of().formatHex(digest, 0, 8) + ".bin";
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String fileKey(Path file) {
        try {
            return file.toAbsolutePath() + ":" + Files.size(file) + ":" + Files.getLastModifiedTime(file).toMillis();
        } catch (IOException e) {
            return file.toAbsolutePath() + ":?";
        }
    }
}
