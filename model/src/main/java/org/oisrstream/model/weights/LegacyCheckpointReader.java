package org.oisrstream.model.weights;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads the legacy torch.save format (PyTorch before 1.6, as the published OISR checkpoints from 0.4.1): five
 * pickles — magic number, protocol version 1001, system info, the object, the list of storage keys — then, for each
 * key in that order, an 8-byte element count and the storage's raw bytes. The file is memory-mapped read-only.
 */
final class LegacyCheckpointReader {

    static final BigInteger MAGIC = new BigInteger("1950a86a20f9469cfc6c", 16);
    private static final int PROTOCOL_VERSION = 1001;

    private LegacyCheckpointReader() {
    }

    static CheckpointContent read(Path file) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = channel.size();
            if (size > Integer.MAX_VALUE) {
                throw new WeightsFileException(file, "legacy PyTorch checkpoint larger than 2 GiB is not supported");
            }
            ByteBuffer mapped = channel.map(FileChannel.MapMode.READ_ONLY, 0, size);
            return read(file, mapped);
        }
    }

    private static CheckpointContent read(Path file, ByteBuffer bytes) throws IOException {
        ByteBufferInput in = new ByteBufferInput(bytes);
        Object magic = RestrictedUnpickler.unpickle(in);
        if (!MAGIC.equals(magic instanceof Number n ? new BigInteger(n.toString()) : magic)) {
            throw new WeightsFileException(file, "not a legacy PyTorch checkpoint: wrong magic number");
        }
        Object protocol = RestrictedUnpickler.unpickle(in);
        if (!(protocol instanceof Integer p) || p != PROTOCOL_VERSION) {
            throw new WeightsFileException(file, "unsupported legacy checkpoint protocol version " + protocol
                    + " (expected " + PROTOCOL_VERSION + ")");
        }
        Object sysInfo = RestrictedUnpickler.unpickle(in);
        ByteOrder order = ByteOrder.LITTLE_ENDIAN;
        if (sysInfo instanceof Map<?, ?> info && Boolean.FALSE.equals(info.get("little_endian"))) {
            order = ByteOrder.BIG_ENDIAN;
        }
        StorageRegistry registry = new StorageRegistry(true);
        Object root = RestrictedUnpickler.unpickle(in, registry::resolve);
        Object keys = RestrictedUnpickler.unpickle(in);
        if (!(keys instanceof List<?> keyList)) {
            throw new WeightsFileException(file, "corrupt legacy checkpoint: storage key list is missing");
        }
        ByteBuffer data = in.buffer();
        Map<String, ByteBuffer> storageBytes = new HashMap<>();
        for (Object key : keyList) {
            PickledStorage storage = registry.storages().get(String.valueOf(key));
            if (storage == null) {
                throw new WeightsFileException(file, "corrupt legacy checkpoint: storage key " + key
                        + " is listed but no tensor uses it");
            }
            if (data.remaining() < 8) {
                throw new WeightsFileException(file, "truncated legacy checkpoint: storage " + key
                        + " is missing (file ends at byte " + data.position() + ")");
            }
            long count = data.order(order).getLong();
            if (count != storage.numel()) {
                throw new WeightsFileException(file, "corrupt legacy checkpoint: storage " + key + " has " + count
                        + " elements in the file but " + storage.numel() + " in the pickle");
            }
            long byteCount = count * storage.type().dtype().bytes();
            if (byteCount > data.remaining()) {
                throw new WeightsFileException(file, "truncated legacy checkpoint: storage " + key + " needs "
                        + byteCount + " bytes but only " + data.remaining() + " are left");
            }
            ByteBuffer slice = data.slice(data.position(), (int) byteCount);
            data.position(data.position() + (int) byteCount);
            storageBytes.put(storage.key(), CheckpointContent.littleEndian(slice, order, storage));
        }
        for (PickledStorage storage : registry.storages().values()) {
            if (!storageBytes.containsKey(storage.key())) {
                throw new WeightsFileException(file, "corrupt legacy checkpoint: storage " + storage.key()
                        + " is used by a tensor but not stored");
            }
        }
        return new CheckpointContent(WeightsFormat.PYTORCH_LEGACY, root, storageBytes);
    }
}
