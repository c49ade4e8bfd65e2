package org.oisrstream.model.weights;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class SafetensorsTest {

    @TempDir
    Path dir;

    private static StateDict sample() {
        Map<String, HostTensor> tensors = new LinkedHashMap<>();
        // Deliberately not alphabetical: order must survive the round trip.
        tensors.put("tail.1.weight", HostTensor.ofFloats(new long[] {2, 3}, new float[] {1f, -2.5f, 3.25f, 1e-3f,
                -65504f, 0.1f}));
        tensors.put("body.0.scale1", HostTensor.ofFloats(new long[] {1}, new float[] {0.5f}));
        tensors.put("head.0.bias", HostTensor.ofFloats(new long[] {4}, new float[] {-1f, 0f, 7.5f, 1e-7f}));
        tensors.put("empty", HostTensor.ofFloats(new long[] {0, 3}, new float[0]));
        ByteBuffer steps = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(0, 123456789012L);
        tensors.put("steps", new HostTensor(DType.I64, new long[] {}, steps));
        Map<String, String> metadata = new LinkedHashMap<>();
        metadata.put("variant", "lf-s");
        metadata.put("scale", "4");
        metadata.put("training", "DIV2K 300 epochs, L1");
        return new StateDict(tensors, metadata);
    }

    @ParameterizedTest
    @EnumSource(value = DType.class, names = {"F32", "F16", "BF16"})
    void roundTripKeepsOrderMetadataAndValuesAtTheStoredPrecision(DType dtype) throws IOException {
        StateDict original = sample();
        Path file = dir.resolve("w.safetensors");
        Safetensors.write(original, file, dtype);
        StateDict read = Safetensors.read(file);

        assertEquals(List.copyOf(original.tensors().keySet()), List.copyOf(read.tensors().keySet()));
        assertEquals(original.metadata(), read.metadata());
        for (String key : original.tensors().keySet()) {
            HostTensor want = original.tensors().get(key);
            HostTensor got = read.tensors().get(key);
            assertArrayEquals(want.shape(), got.shape(), key);
            if (want.dtype() == DType.I64) {
                assertTrue(want.contentEquals(got), key);
            } else {
                assertEquals(dtype, got.dtype(), key);
                assertTrue(want.to(dtype).contentEquals(got), key + " differs from the " + dtype + " conversion");
            }
        }
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(List.of(file), files.toList(), "no temp file may be left behind");
        }
    }

    @Test
    void headerIsAlignedAndDataOffsetsFollowTheStateDictOrder() throws IOException {
        Path file = dir.resolve("w.safetensors");
        Safetensors.write(sample(), file, DType.F32);
        ByteBuffer bytes = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
        long headerLength = bytes.getLong(0);
        assertEquals(0, (8 + headerLength) % 8);
        String header = new String(bytes.array(), 8, (int) headerLength, StandardCharsets.UTF_8);
        assertTrue(header.startsWith("{\"__metadata__\":{\"variant\":\"lf-s\""), header);
        assertTrue(header.contains("\"tail.1.weight\":{\"dtype\":\"F32\",\"shape\":[2,3],\"data_offsets\":[0,24]}"),
                header);
        assertTrue(header.indexOf("tail.1.weight") < header.indexOf("body.0.scale1"));
        // First float of the first tensor right after the header.
        assertEquals(1f, bytes.getFloat((int) (8 + headerLength)));
    }

    @Test
    void readsTheFileWrittenByPythonAndConvertsF64ToF32() throws IOException {
        StateDict expected = Safetensors.read(Fixtures.path("tiny_lf_x2_expected.safetensors"));
        assertEquals(44, expected.tensors().size());
        assertEquals(DType.F32, expected.tensors().get("head.0.weight").dtype());

        double[] values = {1.0, -2.0, Math.PI};
        Path f64 = writeRaw("{\"x\":{\"dtype\":\"F64\",\"shape\":[3],\"data_offsets\":[0,24]}}", doubles(values));
        HostTensor x = Safetensors.read(f64).tensors().get("x");
        assertEquals(DType.F32, x.dtype());
        assertArrayEquals(new float[] {1f, -2f, (float) Math.PI}, x.toFloats());
    }

    @Test
    void overwritingReplacesTheFileAndAFailedWriteLeavesTheOldOne() throws IOException {
        Path file = dir.resolve("w.safetensors");
        Safetensors.write(sample(), file, DType.F32);
        byte[] before = Files.readAllBytes(file);

        StateDict bad = new StateDict(Map.of("__metadata__", HostTensor.ofFloats(new long[] {1}, new float[] {1})));
        assertThrows(WeightsFileException.class, () -> Safetensors.write(bad, file, DType.F32));
        assertArrayEquals(before, Files.readAllBytes(file));

        Safetensors.write(new StateDict(Map.of("a", HostTensor.ofFloats(new long[] {1}, new float[] {2}))),
                file, DType.F16);
        assertEquals(List.of("a"), List.copyOf(Safetensors.read(file).tensors().keySet()));
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(1, files.count());
        }
    }

    @Test
    void refusesOutputInAMissingDirectory() {
        Path file = dir.resolve("no/such/dir/w.safetensors");
        WeightsFileException e = assertThrows(WeightsFileException.class,
                () -> Safetensors.write(sample(), file, DType.F32));
        assertTrue(e.getMessage().contains("does not exist"), e.getMessage());
    }

    @Test
    void truncatedFilesAreRefusedAtEveryCut() throws IOException {
        Path file = dir.resolve("w.safetensors");
        Safetensors.write(sample(), file, DType.F32);
        byte[] full = Files.readAllBytes(file);
        for (int cut : new int[] {0, 3, 8, 20, full.length - 40, full.length - 1}) {
            Path truncated = dir.resolve("cut" + cut + ".safetensors");
            Files.write(truncated, Arrays.copyOf(full, cut));
            WeightsFileException e = assertThrows(WeightsFileException.class, () -> Safetensors.read(truncated));
            assertTrue(e.getMessage().startsWith(truncated.toString() + ": "), e.getMessage());
            assertTrue(e.getMessage().contains("truncated") || e.getMessage().contains("not valid JSON"),
                    cut + ": " + e.getMessage());
            assertTrue(!e.getMessage().contains("\n"), e.getMessage());
        }
    }

    @Test
    void corruptHeadersAreRefusedWithTheReason() throws IOException {
        byte[] data16 = new byte[16];
        assertRefused("{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},"
                + "\"b\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[4,12]}}", data16, "overlap");
        assertRefused("{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},"
                + "\"b\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[12,16]}}", data16, "gap");
        assertRefused("{\"a\":{\"dtype\":\"F32\",\"shape\":[3],\"data_offsets\":[0,16]}}", data16,
                "needs 12 bytes");
        assertRefused("{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}}", data16, "trailing");
        assertRefused("{\"a\":{\"dtype\":\"F32\",\"shape\":[8],\"data_offsets\":[0,32]}}", data16, "truncated");
        assertRefused("{\"a\":{\"dtype\":\"F32\",\"shape\":[4],\"data_offsets\":[8,0]}}", data16, "end before");
        assertRefused("{\"a\":{\"dtype\":\"F32\",\"shape\":[-4],\"data_offsets\":[0,16]}}", data16, "non-negative");
        assertRefused("{\"a\":{\"dtype\":\"Q7\",\"shape\":[4],\"data_offsets\":[0,16]}}", data16, "unknown dtype");
        assertRefused("{\"a\":{\"dtype\":\"BOOL\",\"shape\":[16],\"data_offsets\":[0,16]}}", data16, "not supported");
        assertRefused("{\"a\":{\"dtype\":\"F32\",\"shape\":[4],\"data_offsets\":[0,16],\"x\":1}}", data16,
                "unknown field");
        assertRefused("{\"a\":{\"dtype\":\"F32\",\"shape\":[4],\"data_offsets\":[0,16]},"
                + "\"a\":{\"dtype\":\"F32\",\"shape\":[4],\"data_offsets\":[0,16]}}", data16, "not valid JSON");
        assertRefused("{\"__metadata__\":{\"scale\":4},\"a\":{\"dtype\":\"F32\",\"shape\":[4],"
                + "\"data_offsets\":[0,16]}}", data16, "not a string");
        assertRefused("[1,2]", data16, "not a JSON object");
        assertRefused("{\"a\":{\"dtype\":\"F32\",\"shape\":[4],\"data_offsets\":[0,16]}} {}", data16,
                "not valid JSON");
        assertRefused("{\"a\":{\"dtype\":\"F32\",\"shape\":[4],\"data_offsets\":[0,16]", data16, "not valid JSON");
    }

    @Test
    void absurdHeaderLengthIsRefused() throws IOException {
        Path file = dir.resolve("huge.safetensors");
        ByteBuffer b = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putLong(0, Long.MAX_VALUE - 3);
        b.put(8, (byte) '{');
        Files.write(file, b.array());
        WeightsFileException e = assertThrows(WeightsFileException.class, () -> Safetensors.read(file));
        assertTrue(e.getMessage().contains("header length"), e.getMessage());
    }

    private void assertRefused(String header, byte[] data, String reason) throws IOException {
        Path file = writeRaw(header, data);
        WeightsFileException e = assertThrows(WeightsFileException.class, () -> Safetensors.read(file), header);
        assertTrue(e.getMessage().contains(reason), "expected '" + reason + "' in: " + e.getMessage());
        assertTrue(e.getMessage().startsWith(file + ": corrupt safetensors file: ") || reason.equals("truncated"),
                e.getMessage());
    }

    private Path writeRaw(String header, byte[] data) throws IOException {
        byte[] json = header.getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.allocate(8 + json.length + data.length).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(json.length).put(json).put(data);
        Path file = Files.createTempFile(dir, "raw", ".safetensors");
        Files.write(file, b.array());
        return file;
    }

    private static byte[] doubles(double[] values) {
        ByteBuffer b = ByteBuffer.allocate(values.length * 8).order(ByteOrder.LITTLE_ENDIAN);
        for (double v : values) {
            b.putDouble(v);
        }
        return b.array();
    }
}
