package org.oisrstream.training.data;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32;
import java.util.zip.CheckedInputStream;
import java.util.zip.CheckedOutputStream;
import org.oisrstream.model.image.RgbImage;

/** A binary file of decoded HR/LR pairs (raw RGB bytes, CRC-checked), written atomically. */
final class PairCacheFile {

    static final int VERSION = 1;
    private static final long MAGIC = 0x4f49535250414952L; // "OISRPAIR"

    private PairCacheFile() {
    }

    static void write(Path file, PairSet set) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        // One partial file per process: the replicas of a data-parallel run may all fill the same cache at once.
        Path partial = file.resolveSibling(file.getFileName() + "." + ProcessHandle.current().pid() + ".part");
        CRC32 crc = new CRC32();
        try (OutputStream raw = Files.newOutputStream(partial);
             DataOutputStream out = new DataOutputStream(new CheckedOutputStream(new BufferedOutputStream(raw, 1 << 20), crc))) {
            out.writeLong(MAGIC);
            out.writeInt(VERSION);
            out.writeInt(set.scale());
            out.writeInt(set.pairs().size());
            for (TrainingPair p : set.pairs()) {
                out.writeUTF(p.name());
                writeImage(out, p.hr());
                writeImage(out, p.lr());
            }
            out.writeInt(set.skipped().size());
            for (SkippedImage s : set.skipped()) {
                out.writeUTF(s.file().toString());
                out.writeUTF(s.reason());
            }
            out.flush();
            new DataOutputStream(raw).writeLong(crc.getValue());
        }
        try (FileChannel ch = FileChannel.open(partial, StandardOpenOption.WRITE)) {
            ch.force(true);
        }
        Files.move(partial, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    static PairSet read(Path file, String setName, int scale) throws IOException {
        CRC32 crc = new CRC32();
        try (InputStream raw = new BufferedInputStream(Files.newInputStream(file), 1 << 20)) {
            DataInputStream in = new DataInputStream(new CheckedInputStream(raw, crc));
            if (in.readLong() != MAGIC || in.readInt() != VERSION) {
                throw new IOException("not a pair cache of version " + VERSION);
            }
            if (in.readInt() != scale) {
                throw new IOException("cache holds another scale");
            }
            int count = in.readInt();
            List<TrainingPair> pairs = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                String name = in.readUTF();
                RgbImage hr = readImage(in);
                RgbImage lr = readImage(in);
                pairs.add(new TrainingPair(name, hr, lr));
            }
            int skippedCount = in.readInt();
            List<SkippedImage> skipped = new ArrayList<>(skippedCount);
            for (int i = 0; i < skippedCount; i++) {
                skipped.add(new SkippedImage(Paths.get(in.readUTF()), in.readUTF()));
            }
            long expected = crc.getValue();
            long stored;
            try {
                stored = new DataInputStream(raw).readLong();
            } catch (EOFException e) {
                throw new IOException("truncated cache file", e);
            }
            if (stored != expected) {
                throw new IOException("cache checksum mismatch");
            }
            return new PairSet(setName, scale, pairs, skipped);
        } catch (EOFException e) {
            throw new IOException("truncated cache file", e);
        }
    }

    private static void writeImage(DataOutputStream out, RgbImage image) throws IOException {
        out.writeInt(image.width());
        out.writeInt(image.height());
        out.write(image.pixels());
    }

    private static RgbImage readImage(DataInputStream in) throws IOException {
        int w = in.readInt();
        int h = in.readInt();
        if (w <= 0 || h <= 0 || (long) w * h > 1L << 28) {
            throw new IOException("bad image size " + w + "x" + h + " in cache");
        }
        byte[] pixels = new byte[w * h * 3];
        in.readFully(pixels);
        return new RgbImage(w, h, pixels);
    }
}
