package org.oisrstream.model.weights;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** The weights file formats read by {@link WeightsFiles}, recognised by content, not by file name. */
public enum WeightsFormat {
    /** safetensors: 8-byte little-endian header length, JSON header, raw tensor bytes. The native format. */
    SAFETENSORS("safetensors"),
    /** torch.save since PyTorch 1.6: a zip with {@code <name>/data.pkl} and one entry per storage. */
    PYTORCH_ZIP("pytorch-zip"),
    /** torch.save before 1.6 (or with _use_new_zipfile_serialization=False): pickles then raw storages. */
    PYTORCH_LEGACY("pytorch-legacy");

    /** Start of the legacy format: PROTO 2, LONG1 of 10 bytes, then the magic number 0x1950a86a20f9469cfc6c. */
    private static final byte[] LEGACY_PREFIX = {
            (byte) 0x80, 0x02, (byte) 0x8a, 0x0a,
            0x6c, (byte) 0xfc, (byte) 0x9c, 0x46, (byte) 0xf9, 0x20, 0x6a, (byte) 0xa8, 0x50, 0x19};
    private static final byte[] ZIP_LOCAL_HEADER = {'P', 'K', 0x03, 0x04};

    private final String label;

    WeightsFormat(String label) {
        this.label = label;
    }

    /** Short name written to metadata and messages ("pytorch-legacy", ...). */
    public String label() {
        return label;
    }

    /** Recognises the format from the first bytes of the file. */
    public static WeightsFormat detect(Path file) throws IOException {
        byte[] head;
        long size = Files.size(file);
        try (InputStream in = Files.newInputStream(file)) {
            head = in.readNBytes(512);
        }
        if (startsWith(head, ZIP_LOCAL_HEADER)) {
            return PYTORCH_ZIP;
        }
        if (startsWith(head, LEGACY_PREFIX)) {
            return PYTORCH_LEGACY;
        }
        if (head.length >= 9) {
            long headerLength = ByteBuffer.wrap(head, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
            if (head[8] == '{' && headerLength > 0 && headerLength <= size - 8) {
                return SAFETENSORS;
            }
            if (head[8] == '{') {
                throw new WeightsFileException(file, "truncated safetensors file: header length "
                        + Long.toUnsignedString(headerLength) + " but only " + (size - 8) + " bytes follow");
            }
        }
        if (head.length == 0) {
            throw new WeightsFileException(file, "empty file");
        }
        if (head.length >= 262 && new String(head, 257, 5, StandardCharsets.US_ASCII).equals("ustar")) {
            throw new WeightsFileException(file, "tar-format PyTorch checkpoint (before PyTorch 0.1.10) is not supported");
        }
        if ((head[0] & 0xff) == 0x80) {
            throw new WeightsFileException(file, "a pickle without the torch.save magic number: not a PyTorch checkpoint");
        }
        throw new WeightsFileException(file,
                "unrecognised format (not safetensors, PyTorch zip or legacy PyTorch checkpoint)");
    }

    private static boolean startsWith(byte[] data, byte[] prefix) {
        if (data.length < prefix.length) {
            return false;
        }
        for (int i = 0; i < prefix.length; i++) {
            if (data[i] != prefix[i]) {
                return false;
            }
        }
        return true;
    }
}
