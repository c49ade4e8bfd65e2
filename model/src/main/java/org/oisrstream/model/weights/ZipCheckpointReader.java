package org.oisrstream.model.weights;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;

/**
 * Reads the zip torch.save format (PyTorch 1.6 and later): {@code <name>/data.pkl} holds the object pickle whose
 * storages are persistent ids {@code ('storage', storage_type, key, location, numel)}, each stored in
 * {@code <name>/data/<key>}; {@code <name>/byteorder} ("little" or "big") is optional and defaults to little.
 */
final class ZipCheckpointReader {

    /** A state dict's pickle is kilobytes; a larger one is not a checkpoint we should hold in memory. */
    private static final long MAX_PICKLE_BYTES = 256L << 20;

    private ZipCheckpointReader() {
    }

    static CheckpointContent read(Path file) throws IOException {
        try (ZipFile zip = new ZipFile(file.toFile())) {
            String prefix = recordPrefix(zip, file);
            ByteOrder order = byteOrder(zip, prefix, file);
            byte[] pickle = readEntry(zip, prefix + "data.pkl", MAX_PICKLE_BYTES, file);
            StorageRegistry registry = new StorageRegistry(false);
            ByteBufferInput in = new ByteBufferInput(ByteBuffer.wrap(pickle));
            Object root = RestrictedUnpickler.unpickle(in, registry::resolve);
            Map<String, ByteBuffer> storageBytes = new HashMap<>();
            for (PickledStorage storage : registry.storages().values()) {
                if (!storage.key().matches("[A-Za-z0-9_.-]+")) {
                    throw new WeightsFileException(file, "corrupt PyTorch zip checkpoint: bad storage key '"
                            + storage.key() + "'");
                }
                long expected = storage.numel() * storage.type().dtype().bytes();
                String name = prefix + "data/" + storage.key();
                byte[] bytes = readEntry(zip, name, expected, file);
                if (bytes.length != expected) {
                    throw new WeightsFileException(file, "corrupt PyTorch zip checkpoint: " + name + " has "
                            + bytes.length + " bytes, expected " + expected + " (" + storage.numel() + " x "
                            + storage.type().qualifiedName() + ")");
                }
                storageBytes.put(storage.key(),
                        CheckpointContent.littleEndian(ByteBuffer.wrap(bytes), order, storage));
            }
            return new CheckpointContent(WeightsFormat.PYTORCH_ZIP, root, storageBytes);
        } catch (ZipException e) {
            throw new WeightsFileException(file, "corrupt zip file: " + e.getMessage(), e);
        }
    }

    private static String recordPrefix(ZipFile zip, Path file) throws IOException {
        List<String> prefixes = new ArrayList<>();
        for (Enumeration<? extends ZipEntry> entries = zip.entries(); entries.hasMoreElements(); ) {
            String name = entries.nextElement().getName();
            int slash = name.indexOf('/');
            if (slash > 0 && name.substring(slash + 1).equals("data.pkl")) {
                prefixes.add(name.substring(0, slash + 1));
            }
        }
        if (prefixes.isEmpty()) {
            throw new WeightsFileException(file, "zip file without <name>/data.pkl: not a PyTorch checkpoint");
        }
        if (prefixes.size() > 1) {
            throw new WeightsFileException(file, "zip file with several data.pkl records " + prefixes);
        }
        return prefixes.get(0);
    }

    private static ByteOrder byteOrder(ZipFile zip, String prefix, Path file) throws IOException {
        if (zip.getEntry(prefix + "byteorder") == null) {
            return ByteOrder.LITTLE_ENDIAN;
        }
        String text = new String(readEntry(zip, prefix + "byteorder", 16, file), StandardCharsets.US_ASCII).strip();
        return switch (text) {
            case "little" -> ByteOrder.LITTLE_ENDIAN;
            case "big" -> ByteOrder.BIG_ENDIAN;
            default -> throw new WeightsFileException(file, "corrupt PyTorch zip checkpoint: byteorder '" + text + "'");
        };
    }

    /** Reads at most {@code limit} bytes of an entry; one more byte is read to tell "too long" apart. */
    private static byte[] readEntry(ZipFile zip, String name, long limit, Path file) throws IOException {
        ZipEntry entry = zip.getEntry(name);
        if (entry == null) {
            throw new WeightsFileException(file, "corrupt PyTorch zip checkpoint: entry " + name + " is missing");
        }
        if (limit > Integer.MAX_VALUE - 9) {
            throw new WeightsFileException(file, "entry " + name + " is larger than 2 GiB, not supported");
        }
        try (InputStream in = zip.getInputStream(entry)) {
            byte[] bytes = in.readNBytes((int) limit + 1);
            if (bytes.length > limit) {
                throw new WeightsFileException(file, "corrupt PyTorch zip checkpoint: entry " + name
                        + " is larger than " + limit + " bytes");
            }
            return bytes;
        }
    }
}
