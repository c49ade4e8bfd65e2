package org.oisrstream.model.weights;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.oisrstream.model.util.AtomicFiles;

/**
 * Reads and writes safetensors files, the native weights format. Tensors keep their order; the string metadata
 * goes to {@code __metadata__}. Reading copies each tensor from the file with positional reads (no mapping, so a
 * file replaced or truncated later cannot fault the JVM); F64 tensors are converted to F32 on read.
 */
public final class Safetensors {

    private Safetensors() {
    }

    public static StateDict read(Path file) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = channel.size();
            if (size < 8) {
                throw new WeightsFileException(file, "truncated safetensors file: " + size
                        + " bytes, too short for the 8-byte header length");
            }
            long headerLength = readFully(channel, 0, 8, file).order(ByteOrder.LITTLE_ENDIAN).getLong();
            if (headerLength < 2 || headerLength > SafetensorsHeader.MAX_HEADER_BYTES) {
                throw new WeightsFileException(file, "corrupt safetensors file: header length "
                        + Long.toUnsignedString(headerLength) + " is outside 2.." + SafetensorsHeader.MAX_HEADER_BYTES);
            }
            if (headerLength > size - 8) {
                throw new WeightsFileException(file, "truncated safetensors file: header length " + headerLength
                        + " but only " + (size - 8) + " bytes follow");
            }
            byte[] json = new byte[(int) headerLength];
            readFully(channel, 8, (int) headerLength, file).get(json);
            long dataStart = 8 + headerLength;
            SafetensorsHeader header;
            try {
                header = SafetensorsHeader.parse(json, size - dataStart);
            } catch (IllegalArgumentException e) {
                throw new WeightsFileException(file, "corrupt safetensors file: " + e.getMessage());
            }
            Map<String, HostTensor> tensors = new LinkedHashMap<>();
            for (SafetensorsHeader.Entry e : header.entries()) {
                if (e.byteLength() > Integer.MAX_VALUE - 8) {
                    throw new WeightsFileException(file, "tensor '" + e.name() + "' has " + e.byteLength()
                            + " bytes, more than the 2 GiB a host tensor can hold");
                }
                ByteBuffer data = readFully(channel, dataStart + e.begin(), (int) e.byteLength(), file);
                HostTensor tensor = new HostTensor(e.dtype(), e.shape(), data);
                tensors.put(e.name(), e.dtype() == DType.F64 ? tensor.to(DType.F32) : tensor);
            }
            return new StateDict(tensors, header.metadata());
        }
    }

    /**
     * Writes {@code weights} to {@code file} atomically (temp file beside it, then rename), floating-point tensors
     * stored as {@code dtype} (F32, F16 or BF16; integer tensors keep their type), metadata in {@code __metadata__}.
     */
    public static void write(StateDict weights, Path file, DType dtype) throws IOException {
        if (dtype != DType.F32 && dtype != DType.F16 && dtype != DType.BF16) {
            throw new IllegalArgumentException("weights can be stored as F32, F16 or BF16, not " + dtype);
        }
        List<SafetensorsHeader.Entry> entries = new ArrayList<>();
        List<ByteBuffer> blobs = new ArrayList<>();
        long offset = 0;
        for (Map.Entry<String, HostTensor> named : weights.tensors().entrySet()) {
            if (named.getKey().equals(SafetensorsHeader.METADATA_KEY)) {
                throw new WeightsFileException(file, "a tensor cannot be named " + SafetensorsHeader.METADATA_KEY);
            }
            HostTensor tensor = named.getValue();
            HostTensor stored = tensor.dtype().isFloatingPoint() ? tensor.to(dtype) : tensor;
            ByteBuffer data = stored.data().duplicate().rewind();
            entries.add(new SafetensorsHeader.Entry(named.getKey(), stored.dtype(), stored.shape(),
                    offset, offset + data.remaining()));
            blobs.add(data);
            offset += data.remaining();
        }
        byte[] json = new SafetensorsHeader(weights.metadata(), entries).toJson();
        ByteBuffer prefix = ByteBuffer.allocate(8 + json.length).order(ByteOrder.LITTLE_ENDIAN);
        prefix.putLong(json.length).put(json).flip();
        Path dir = file.toAbsolutePath().getParent();
        if (dir == null || !Files.isDirectory(dir)) {
            throw new WeightsFileException(file, "output directory " + dir + " does not exist");
        }
        AtomicFiles.write(file, channel -> {
            writeFully(channel, prefix);
            for (ByteBuffer blob : blobs) {
                writeFully(channel, blob);
            }
        });
    }

    private static ByteBuffer readFully(FileChannel channel, long position, int length, Path file)
            throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(length).order(ByteOrder.LITTLE_ENDIAN);
        while (buffer.hasRemaining()) {
            int n = channel.read(buffer, position + buffer.position());
            if (n < 0) {
                throw new WeightsFileException(file, "truncated safetensors file: ended at byte "
                        + (position + buffer.position()) + " while reading " + length + " bytes at " + position);
            }
        }
        return buffer.flip();
    }

    private static void writeFully(FileChannel channel, ByteBuffer buffer) throws IOException {
        while (buffer.hasRemaining()) {
            channel.write(buffer);
        }
    }
}
