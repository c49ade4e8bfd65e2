package org.oisrstream.model.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.oisrstream.model.image.ImageFiles;

/**
 * Opens an evaluation set from a folder in one of three layouts, tried in this order:
 * <ol>
 *   <li>SR benchmark pairs: {@code NAME/xS/*_HR.png} with {@code *_LR.png} beside each (given {@code NAME/xS} or
 *       {@code NAME});</li>
 *   <li>EDSR: {@code NAME/HR/*.png} with {@code NAME/LR_bicubic/XS/*xS.png} (when the LR folder is missing, LR is
 *       made from HR as in layout 3);</li>
 *   <li>a plain folder of HR images (png, jpg, bmp): each HR is cropped to a multiple of S and its LR made with
 *       MATLAB-compatible bicubic.</li>
 * </ol>
 * Files are listed now (missing partners are errors now); images are read when an entry is loaded.
 */
public final class EvalSets {

    private static final Pattern PAIR_HR = Pattern.compile("(.+)_HR\\.(png|jpe?g|bmp)", Pattern.CASE_INSENSITIVE);
    private static final Pattern SRF_SUFFIX = Pattern.compile("_SRF_\\d+$");

    private EvalSets() {
    }

    public static EvalSet open(Path dir, int scale) throws IOException {
        if (scale < 1) {
            throw new IllegalArgumentException("scale must be at least 1, got " + scale);
        }
        if (!Files.isDirectory(dir)) {
            throw new NoSuchFileException(dir.toString(), null, "no such dataset folder");
        }
        Path normalized = dir.toAbsolutePath().normalize();
        String dirName = normalized.getFileName() == null ? normalized.toString() : normalized.getFileName().toString();

        Optional<Path> scaleDir = childIgnoringCase(normalized, "x" + scale);
        if (scaleDir.isPresent() && hasPairedHr(scaleDir.get())) {
            return pairs(dirName, scaleDir.get(), scale, dirName + "/" + scaleDir.get().getFileName());
        }
        if (hasPairedHr(normalized)) {
            boolean isScaleDir = dirName.equalsIgnoreCase("x" + scale);
            String name = isScaleDir && normalized.getParent() != null
                    ? normalized.getParent().getFileName().toString() : dirName;
            if (dirName.matches("(?i)x\\d+") && !isScaleDir) {
                throw new IOException(dir + " holds pairs for " + dirName + ", not for x" + scale);
            }
            return pairs(name, normalized, scale, isScaleDir ? name + "/" + dirName : dirName);
        }
        List<String> otherScales = scaleDirs(normalized);
        if (!otherScales.isEmpty()) {
            throw new IOException(dir + " has " + String.join(", ", otherScales) + " but no x" + scale + " with HR/LR pairs");
        }
        Optional<Path> hrDir = childIgnoringCase(normalized, "HR");
        if (hrDir.isPresent()) {
            Optional<Path> lrRoot = childIgnoringCase(normalized, "LR_bicubic");
            Optional<Path> lrDir = lrRoot.isPresent() ? childIgnoringCase(lrRoot.get(), "X" + scale) : Optional.empty();
            if (lrDir.isPresent()) {
                return edsr(dirName, hrDir.get(), lrDir.get(), scale);
            }
            return hrOnly(dirName, hrDir.get(), scale);
        }
        return hrOnly(dirName, normalized, scale);
    }

    /** Layout 1: {@code *_HR.png} and {@code *_LR.png} side by side. */
    private static EvalSet pairs(String name, Path dir, int scale, String where) throws IOException {
        List<EvalEntry> entries = new ArrayList<>();
        for (Path hr : images(dir)) {
            Matcher m = PAIR_HR.matcher(hr.getFileName().toString());
            if (!m.matches()) {
                continue;
            }
            Path lr = dir.resolve(m.group(1) + "_LR." + m.group(2));
            if (!Files.isRegularFile(lr)) {
                throw new NoSuchFileException(lr.toString(), null, "LR partner of " + hr.getFileName() + " is missing");
            }
            String imageName = SRF_SUFFIX.matcher(m.group(1)).replaceFirst("");
            entries.add(new EvalEntry.PairedFiles(imageName, hr, lr, scale));
        }
        return new EvalSet(name, scale, "HR/LR pairs in " + where, entries);
    }

    /** Layout 2: EDSR's {@code HR/NAME.png} and {@code LR_bicubic/XS/NAMExS.png}. */
    private static EvalSet edsr(String name, Path hrDir, Path lrDir, int scale) throws IOException {
        List<EvalEntry> entries = new ArrayList<>();
        for (Path hr : images(hrDir)) {
            String file = hr.getFileName().toString();
            int dot = file.lastIndexOf('.');
            String stem = file.substring(0, dot);
            Path lr = lrDir.resolve(stem + "x" + scale + file.substring(dot));
            if (!Files.isRegularFile(lr)) {
                throw new NoSuchFileException(lr.toString(), null, "LR partner of " + hr + " is missing");
            }
            entries.add(new EvalEntry.PairedFiles(stem, hr, lr, scale));
        }
        if (entries.isEmpty()) {
            throw new IOException(hrDir + ": no images (png, jpg, bmp)");
        }
        return new EvalSet(name, scale, "EDSR layout (HR + LR_bicubic/X" + scale + ") in " + name, entries);
    }

    /** Layout 3: HR images only; LR made with MATLAB-compatible bicubic. */
    private static EvalSet hrOnly(String name, Path dir, int scale) throws IOException {
        List<EvalEntry> entries = new ArrayList<>();
        for (Path hr : images(dir)) {
            String file = hr.getFileName().toString();
            entries.add(new EvalEntry.HrFile(file.substring(0, file.lastIndexOf('.')), hr, scale));
        }
        if (entries.isEmpty()) {
            throw new IOException(dir + ": no evaluation images found (expected NAME/x" + scale
                    + "/*_HR.png with *_LR.png, HR/ with LR_bicubic/X" + scale + "/, or a folder of png/jpg/bmp images)");
        }
        return new EvalSet(name, scale, "HR images in " + name + ", LR by MATLAB-compatible bicubic", entries);
    }

    private static List<Path> images(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(Files::isRegularFile).filter(ImageFiles::isSupportedImage).sorted().toList();
        }
    }

    private static boolean hasPairedHr(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return false;
        }
        return images(dir).stream().anyMatch(p -> PAIR_HR.matcher(p.getFileName().toString()).matches());
    }

    private static List<String> scaleDirs(Path dir) throws IOException {
        try (Stream<Path> children = Files.list(dir)) {
            return children.filter(Files::isDirectory).map(p -> p.getFileName().toString())
                    .filter(n -> n.matches("(?i)x\\d+")).sorted().toList();
        }
    }

    private static Optional<Path> childIgnoringCase(Path dir, String name) throws IOException {
        try (Stream<Path> children = Files.list(dir)) {
            return children.filter(Files::isDirectory)
                    .filter(p -> p.getFileName().toString().toLowerCase(Locale.ROOT).equals(name.toLowerCase(Locale.ROOT)))
                    .sorted().findFirst();
        }
    }
}
