package org.oisrstream.model.weights;

/**
 * A storage named by a checkpoint's persistent id: its key (entry name in the zip, or position in the legacy
 * storage list), element type and element count. Its bytes are read after the pickle.
 */
record PickledStorage(String key, TorchStorageType type, long numel) {
}
