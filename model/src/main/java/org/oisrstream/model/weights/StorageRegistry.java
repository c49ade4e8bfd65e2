package org.oisrstream.model.weights;

import java.util.LinkedHashMap;
import java.util.Map;
import org.oisrstream.model.weights.TorchPickleGlobals.StorageView;

/**
 * Resolves storage persistent ids while a checkpoint is unpickled:
 * {@code ('storage', storage_type, key, location, numel[, view_metadata])}. Tensors that share a storage get the
 * same {@link PickledStorage}; view metadata {@code (view_key, offset, size)} (old checkpoints) selects a range.
 */
final class StorageRegistry {

    /** 2^40 elements: far beyond any checkpoint, small enough that element byte counts cannot overflow. */
    private static final long MAX_STORAGE_ELEMENTS = 1L << 40;

    private final Map<String, PickledStorage> storages = new LinkedHashMap<>();
    private final boolean allowViewMetadata;

    StorageRegistry(boolean allowViewMetadata) {
        this.allowViewMetadata = allowViewMetadata;
    }

    Object resolve(Object[] pid) {
        int expected = allowViewMetadata ? 6 : 5;
        if (pid.length != expected) {
            throw new UnpicklingRefusedException("storage persistent id has " + pid.length + " fields, expected "
                    + expected);
        }
        if (!(pid[1] instanceof TorchStorageType type)) {
            throw new UnpicklingRefusedException("storage persistent id names no storage type");
        }
        if (!(pid[2] instanceof String key) || key.isEmpty()) {
            throw new UnpicklingRefusedException("storage persistent id has no key");
        }
        long numel = TorchPickleGlobals.toLong(pid[4], "storage size");
        if (numel < 0 || numel > MAX_STORAGE_ELEMENTS) {
            throw new UnpicklingRefusedException("storage " + key + " claims " + numel + " elements");
        }
        PickledStorage storage = storages.computeIfAbsent(key, k -> new PickledStorage(k, type, numel));
        if (storage.type() != type || storage.numel() != numel) {
            throw new UnpicklingRefusedException("storage " + key + " is named twice with different types or sizes");
        }
        if (allowViewMetadata && pid[5] != null) {
            if (!(pid[5] instanceof Object[] view) || view.length != 3) {
                throw new UnpicklingRefusedException("storage " + key + " has malformed view metadata");
            }
            return new StorageView(storage, TorchPickleGlobals.toLong(view[1], "storage view offset"),
                    TorchPickleGlobals.toLong(view[2], "storage view size"));
        }
        return new StorageView(storage, 0, numel);
    }

    Map<String, PickledStorage> storages() {
        return storages;
    }
}
