package org.oisrstream.model.weights;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Reads the checkpoints torch 1.13 wrote (src/test/python/make_checkpoints.py) and compares them exactly. */
class PyTorchCheckpointTest {

    @TempDir
    Path dir;

    @Test
    void legacyAndZipCheckpointsEqualTheExpectedValuesExactly() throws IOException {
        StateDict expected = WeightsFiles.read(Fixtures.path("tiny_lf_x2_expected.safetensors"));
        StateDict legacy = WeightsFiles.read(Fixtures.path("tiny_lf_x2_legacy.pt"));
        StateDict zip = WeightsFiles.read(Fixtures.path("tiny_lf_x2_zip.pt"));

        Fixtures.assertSameTensors(expected, legacy);
        Fixtures.assertSameTensors(expected, zip);
        assertEquals("pytorch-legacy", legacy.metadata().get("source_format"));
        assertEquals("pytorch-zip", zip.metadata().get("source_format"));
        assertEquals(WeightsFormat.PYTORCH_LEGACY, WeightsFiles.detect(Fixtures.path("tiny_lf_x2_legacy.pt")));
        assertEquals(WeightsFormat.PYTORCH_ZIP, WeightsFiles.detect(Fixtures.path("tiny_lf_x2_zip.pt")));
        // torch order: a module's own parameters (scale1..4) before its children's (conv1, ...).
        assertEquals("body.0.scale1", legacy.tensors().keySet().stream().skip(4).findFirst().orElseThrow());
        assertArrayEquals(new long[] {32, 8, 3, 3}, legacy.tensors().get("tail.0.0.weight").shape());
    }

    @Test
    void fp16CheckpointsKeepTheirDtype() throws IOException {
        StateDict expected = WeightsFiles.read(Fixtures.path("tiny_lf_x2_fp16_expected.safetensors"));
        StateDict legacy = WeightsFiles.read(Fixtures.path("tiny_lf_x2_fp16_legacy.pt"));
        StateDict zip = WeightsFiles.read(Fixtures.path("tiny_lf_x2_fp16_zip.pt"));
        Fixtures.assertSameTensors(expected, legacy);
        Fixtures.assertSameTensors(expected, zip);
        assertEquals(DType.F16, legacy.tensors().get("head.0.weight").dtype());

        StateDict fp32 = WeightsFiles.read(Fixtures.path("tiny_lf_x2_expected.safetensors"));
        float[] full = fp32.tensors().get("head.0.weight").toFloats();
        float[] half = legacy.tensors().get("head.0.weight").toFloats();
        for (int i = 0; i < full.length; i++) {
            assertEquals(full[i], half[i], Math.abs(full[i]) * 1e-3 + 1e-4, "element " + i);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"tiny_lf_x2_wrapped.pt", "tiny_lf_x2_wrapped_zip.pt"})
    void wrappedStateDictIsFoundAndItsModulePrefixStripped(String name) throws IOException {
        StateDict expected = WeightsFiles.read(Fixtures.path("tiny_lf_x2_expected.safetensors"));
        StateDict wrapped = WeightsFiles.read(Fixtures.path(name));
        Fixtures.assertSameTensors(expected, wrapped);
        assertEquals("state_dict", wrapped.metadata().get("source_wrapper_key"));
        assertEquals("module.", wrapped.metadata().get("source_key_prefix"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"views_legacy.pt", "views_zip.pt"})
    void viewsWithOffsetsStridesAndSharedStoragesAreGatheredLikeTorch(String name) throws IOException {
        StateDict expected = WeightsFiles.read(Fixtures.path("views_expected.safetensors"));
        StateDict views = WeightsFiles.read(Fixtures.path(name));
        Fixtures.assertSameTensors(expected, views);
        // Spot-check against values computed here: base = arange(24) * 0.5 - 3, viewed (4, 6).
        assertArrayEquals(new float[] {1f, 1.5f, 2f, 4f, 4.5f, 5f}, views.tensors().get("slice").toFloats());
        assertArrayEquals(new float[] {-1.5f, 1.5f, 4.5f, 7.5f}, views.tensors().get("column").toFloats());
        assertArrayEquals(new long[] {}, views.tensors().get("scalar").shape());
        assertArrayEquals(new float[] {5.5f}, views.tensors().get("scalar").toFloats());
        assertArrayEquals(new float[] {1.5f, 1.5f, 1.5f, 1.5f, -2f, -2f, -2f, -2f, 4.25f, 4.25f, 4.25f, 4.25f},
                views.tensors().get("expanded").toFloats());
        assertEquals(DType.F16, views.tensors().get("half_rows").dtype());
    }

    @Test
    void fullSizeLfSx4WithExpandedTensorsIsRecognisedAndGathered() throws IOException {
        StateDict weights = WeightsFiles.read(Fixtures.path("lf_s_x4_expanded_legacy.pt"));
        StateDict storages = WeightsFiles.read(Fixtures.path("lf_s_x4_expanded_expected.safetensors"));
        ArchitectureGuess guess = ArchitectureGuess.of(weights);
        assertEquals("lf-s x4", guess.describe());
        StateDictChecker.check(weights, Fixtures.oisrShapes(OisrVariantSpec.byName("lf-s"), 4));
        for (String key : weights.tensors().keySet()) {
            HostTensor full = weights.tensors().get(key);
            float[] values = full.toFloats();
            float[] stored = storages.tensors().get(key).toFloats();
            long[] shape = full.shape();
            int perRow = shape.length == 4 ? (int) (shape[1] * shape[2] * shape[3]) : 1;
            for (int i = 0; i < values.length; i++) {
                assertEquals(stored[i / perRow], values[i], key + " element " + i);
            }
        }
    }

    @Test
    void legacyStorageViewMetadataSelectsTheRightRange() throws IOException {
        StateDict expected = WeightsFiles.read(Fixtures.path("storage_view_expected.safetensors"));
        StateDict read = WeightsFiles.read(Fixtures.path("storage_view_legacy.pt"));
        Fixtures.assertSameTensors(expected, read);
        assertArrayEquals(new float[] {-0.25f, 1f, 2.25f, 3.5f}, read.tensors().get("a").toFloats());
    }

    @ParameterizedTest
    @ValueSource(strings = {"malicious_legacy.pt", "malicious_zip.pt", "malicious_zip_proto4.pt"})
    void maliciousCheckpointIsRefusedAndNothingIsExecuted(String name) throws IOException {
        Path marker = Path.of(Files.readString(Fixtures.path("malicious_marker.txt"), StandardCharsets.UTF_8).strip());
        Files.deleteIfExists(marker);
        Path file = Fixtures.path(name);

        WeightsFileException e = assertThrows(WeightsFileException.class, () -> WeightsFiles.read(file));

        assertTrue(e.getMessage().contains("refusing to load Python global 'posix.system'"), e.getMessage());
        assertTrue(e.getMessage().startsWith(file.toString()), e.getMessage());
        assertFalse(e.getMessage().contains("\n"));
        assertFalse(Files.exists(marker), "the payload ran: " + marker + " exists");
    }

    @Test
    void truncatedLegacyCheckpointIsRefused() throws IOException {
        byte[] full = Files.readAllBytes(Fixtures.path("tiny_lf_x2_legacy.pt"));
        for (int cut : new int[] {20, 600, full.length - 3000, full.length - 2}) {
            Path file = dir.resolve("cut" + cut + ".pt");
            Files.write(file, Arrays.copyOf(full, cut));
            WeightsFileException e = assertThrows(WeightsFileException.class, () -> WeightsFiles.read(file));
            assertTrue(e.getMessage().startsWith(file + ": "), e.getMessage());
            assertTrue(e.getMessage().contains("truncated") || e.getMessage().contains("corrupt pickle"),
                    cut + ": " + e.getMessage());
        }
    }

    @Test
    void corruptStorageCountInLegacyCheckpointIsRefused() throws IOException {
        byte[] bytes = Files.readAllBytes(Fixtures.path("storage_view_legacy.pt"));
        // The single storage's element count (10) sits 8 + 40 bytes before the end.
        int countAt = bytes.length - 40 - 8;
        assertEquals(10, bytes[countAt]);
        bytes[countAt] = 11;
        Path file = dir.resolve("count.pt");
        Files.write(file, bytes);
        WeightsFileException e = assertThrows(WeightsFileException.class, () -> WeightsFiles.read(file));
        assertTrue(e.getMessage().contains("has 11 elements in the file but 10 in the pickle"), e.getMessage());
    }

    @Test
    void zipWithAMissingStorageEntryIsRefused() throws IOException {
        Path file = dir.resolve("missing.pt");
        try (var out = new java.util.zip.ZipOutputStream(Files.newOutputStream(file));
             var in = new java.util.zip.ZipFile(Fixtures.path("views_zip.pt").toFile())) {
            for (var entries = in.entries(); entries.hasMoreElements(); ) {
                var entry = entries.nextElement();
                if (!entry.getName().endsWith("data/1")) {
                    out.putNextEntry(new java.util.zip.ZipEntry(entry.getName()));
                    in.getInputStream(entry).transferTo(out);
                    out.closeEntry();
                }
            }
        }
        WeightsFileException e = assertThrows(WeightsFileException.class, () -> WeightsFiles.read(file));
        assertTrue(e.getMessage().contains("entry views_zip/data/1 is missing"), e.getMessage());
    }

    @Test
    void bigEndianZipCheckpointIsByteSwapped() throws IOException {
        // views_zip.pt rewritten as a big-endian machine would: every storage element byte-reversed, byteorder=big.
        Path file = dir.resolve("big.pt");
        Map<String, Integer> elementSizes = Map.of("views_zip/data/0", 4, "views_zip/data/1", 4, "views_zip/data/2", 2);
        try (var out = new java.util.zip.ZipOutputStream(Files.newOutputStream(file));
             var in = new java.util.zip.ZipFile(Fixtures.path("views_zip.pt").toFile())) {
            for (var entries = in.entries(); entries.hasMoreElements(); ) {
                var entry = entries.nextElement();
                byte[] bytes = in.getInputStream(entry).readAllBytes();
                Integer size = elementSizes.get(entry.getName());
                if (size != null) {
                    for (int i = 0; i < bytes.length; i += size) {
                        for (int j = 0; j < size / 2; j++) {
                            byte t = bytes[i + j];
                            bytes[i + j] = bytes[i + size - 1 - j];
                            bytes[i + size - 1 - j] = t;
                        }
                    }
                }
                out.putNextEntry(new java.util.zip.ZipEntry(entry.getName()));
                out.write(bytes);
                out.closeEntry();
            }
            out.putNextEntry(new java.util.zip.ZipEntry("views_zip/byteorder"));
            out.write("big".getBytes(StandardCharsets.US_ASCII));
            out.closeEntry();
        }
        Fixtures.assertSameTensors(WeightsFiles.read(Fixtures.path("views_expected.safetensors")),
                WeightsFiles.read(file));
    }

    @Test
    void unreadableInputsGetOneLineErrors() throws IOException {
        Path missing = dir.resolve("nope.pt");
        assertEquals(missing + ": no such file",
                assertThrows(WeightsFileException.class, () -> WeightsFiles.read(missing)).getMessage());
        Path empty = Files.write(dir.resolve("empty.pt"), new byte[0]);
        assertEquals(empty + ": empty file",
                assertThrows(WeightsFileException.class, () -> WeightsFiles.read(empty)).getMessage());
        Path text = Files.writeString(dir.resolve("notes.pt"), "hello, these are not weights\n");
        assertTrue(assertThrows(WeightsFileException.class, () -> WeightsFiles.read(text)).getMessage()
                .contains("unrecognised format"));
        Path zip = dir.resolve("other.zip");
        try (var out = new java.util.zip.ZipOutputStream(Files.newOutputStream(zip))) {
            out.putNextEntry(new java.util.zip.ZipEntry("readme.txt"));
            out.write("hi".getBytes(StandardCharsets.UTF_8));
        }
        assertTrue(assertThrows(WeightsFileException.class, () -> WeightsFiles.read(zip)).getMessage()
                .contains("not a PyTorch checkpoint"));
    }

    @Test
    void roundTripThroughSafetensorsPreservesAnImportedCheckpoint() throws IOException {
        StateDict legacy = WeightsFiles.read(Fixtures.path("tiny_lf_x2_legacy.pt"));
        Path out = dir.resolve("tiny.safetensors");
        WeightsFiles.write(legacy.withMetadata(Map.of("variant", "tiny")), out, DType.F32);
        StateDict back = WeightsFiles.read(out);
        Fixtures.assertSameTensors(legacy, back);
        assertEquals("tiny", back.metadata().get("variant"));
        assertEquals("pytorch-legacy", back.metadata().get("source_format"));
    }
}
