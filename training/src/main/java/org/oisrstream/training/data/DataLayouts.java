package org.oisrstream.training.data;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.oisrstream.model.image.ImageFiles;

/**
 * Finds the images of a data folder. Two layouts: DIV2K ({@code DIV2K_train_HR/0001.png} with
 * {@code DIV2K_train_LR_bicubic/X4/0001x4.png}, numbered images selected by an EDSR-style range), and any folder of
 * HR images (png, jpg, bmp; subfolders included, sorted by path) whose LR inputs are made by bicubic downscaling.
 */
public final class DataLayouts {

    private DataLayouts() {
    }

    public static boolean isDiv2k(Path dir) {
        return Files.isDirectory(dir.resolve("DIV2K_train_HR")) || Files.isDirectory(dir.resolve("DIV2K_valid_HR"));
    }

    /** DIV2K images numbered {@code range.first()..range.last()}, HR from the train or valid folder, LR if present. */
    public static List<ImageEntry> div2k(Path dir, ImageRange range, int scale) {
        List<ImageEntry> entries = new ArrayList<>();
        List<Integer> missing = new ArrayList<>();
        for (int i = range.first(); i <= range.last(); i++) {
            String id = String.format("%04d", i);
            Optional<ImageEntry> entry = div2kEntry(dir, "train", id, scale).or(() -> div2kEntry(dir, "valid", id, scale));
            if (entry.isPresent()) {
                entries.add(entry.get());
            } else {
                missing.add(i);
            }
        }
        if (!missing.isEmpty()) {
            throw new IllegalArgumentException(dir + ": DIV2K image(s) " + summarize(missing)
                    + " of range " + range + " not found in DIV2K_train_HR or DIV2K_valid_HR");
        }
        return entries;
    }

    private static Optional<ImageEntry> div2kEntry(Path dir, String split, String id, int scale) {
        Path hr = dir.resolve("DIV2K_" + split + "_HR").resolve(id + ".png");
        if (!Files.isRegularFile(hr)) {
            return Optional.empty();
        }
        Path lr = dir.resolve("DIV2K_" + split + "_LR_bicubic").resolve("X" + scale).resolve(id + "x" + scale + ".png");
        return Optional.of(new ImageEntry(id, hr, Files.isRegularFile(lr) ? Optional.of(lr) : Optional.empty()));
    }

    /** Every PNG, JPEG or BMP file under {@code dir}, sorted by path. */
    public static List<ImageEntry> hrFolder(Path dir) {
        if (!Files.isDirectory(dir)) {
            throw new IllegalArgumentException(dir + " is not a directory");
        }
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile)
                    .filter(ImageFiles::isSupportedImage)
                    .sorted(Comparator.comparing(Path::toString))
                    .map(f -> {
                        ImageEntry plain = ImageEntry.hrOnly(f);
                        String relative = dir.relativize(f.getParent() == null ? f : f.getParent()).toString();
                        String name = relative.isEmpty() ? plain.name() : relative + "/" + plain.name();
                        return new ImageEntry(name, f, Optional.empty());
                    })
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + dir, e);
        }
    }

    private static String summarize(List<Integer> ids) {
        return ids.size() <= 5 ? ids.toString() : ids.subList(0, 5) + " and " + (ids.size() - 5) + " more";
    }
}
