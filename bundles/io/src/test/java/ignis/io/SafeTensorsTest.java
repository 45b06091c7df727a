package ignis.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ignis.tensor.DType;
import ignis.tensor.Tensor;
import ignis.tensor.Tensors;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SafeTensorsTest {

    @TempDir
    Path dir;

    /** A file following the spec byte by byte: length, header padded with spaces to 8, data. */
    static byte[] file(String header, byte[] data) {
        byte[] json = header.getBytes(StandardCharsets.UTF_8);
        int padded = (json.length + 7) / 8 * 8;
        ByteBuffer b = ByteBuffer.allocate(8 + padded + data.length).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(padded).put(json);
        for (int i = json.length; i < padded; i++) {
            b.put((byte) ' ');
        }
        return b.put(data).array();
    }

    static byte[] le(float... values) {
        ByteBuffer b = ByteBuffer.allocate(4 * values.length).order(ByteOrder.LITTLE_ENDIAN);
        for (float v : values) {
            b.putFloat(v);
        }
        return b.array();
    }

    Path put(String name, byte[] bytes) throws IOException {
        return Files.write(dir.resolve(name), bytes);
    }

    // ---- golden file --------------------------------------------------------------------------

    /** One F32 tensor "a" = [1.0, 2.0], written out by hand from the format description. */
    static final byte[] GOLDEN = {
        56, 0, 0, 0, 0, 0, 0, 0, // header length 56, little-endian u64
        '{', '"', 'a', '"', ':', '{', '"', 'd', 't', 'y', 'p', 'e', '"', ':', '"', 'F', '3', '2', '"', ',',
        '"', 's', 'h', 'a', 'p', 'e', '"', ':', '[', '2', ']', ',',
        '"', 'd', 'a', 't', 'a', '_', 'o', 'f', 'f', 's', 'e', 't', 's', '"', ':', '[', '0', ',', '8', ']', '}', '}',
        ' ', ' ', // 54 bytes of JSON padded with spaces to 56, a multiple of 8
        0, 0, (byte) 0x80, 0x3F, // 1.0f
        0, 0, 0, 0x40, // 2.0f
    };

    @Test
    void goldenFileReads() throws IOException {
        try (SafeTensors.Contents c = SafeTensors.read(put("golden.safetensors", GOLDEN))) {
            assertEquals(List.of("a"), List.copyOf(c.tensors().keySet()));
            Tensor a = c.get("a");
            assertEquals(DType.FLOAT32, a.dtype());
            assertArrayEquals(new long[] {2}, a.shape().toArray());
            assertArrayEquals(new float[] {1f, 2f}, a.toFloatArray());
            assertTrue(c.metadata().isEmpty());
        }
    }

    @Test
    void goldenFileIsWhatWriteProduces() throws IOException {
        Path out = dir.resolve("written.safetensors");
        try (Tensor a = Tensors.of(new float[] {1f, 2f})) {
            SafeTensors.write(out, Map.of("a", a));
        }
        assertArrayEquals(GOLDEN, Files.readAllBytes(out));
    }

    @Test
    void metadataIsWrittenFirstAsTheReferenceImplementationDoes() throws IOException {
        Path out = dir.resolve("meta.safetensors");
        try (Tensor a = Tensors.of(new int[] {7})) {
            SafeTensors.write(out, Map.of("a", a), Map.of("format", "pt"));
        }
        assertArrayEquals(file("{\"__metadata__\":{\"format\":\"pt\"},\"a\":{\"dtype\":\"I32\",\"shape\":[1],\"data_offsets\":[0,4]}}",
                new byte[] {7, 0, 0, 0}), Files.readAllBytes(out));
    }

    /** As Python writes them: metadata first, header order not the data order, whitespace in the JSON. */
    @Test
    void readsHeadersInAnyOrderWithWhitespace() throws IOException {
        String header = "{ \"__metadata__\": {\"format\": \"pt\"},\n \"w\": {\"dtype\": \"F32\", \"shape\": [1, 2], \"data_offsets\": [4, 12]},"
                + " \"b\": {\"shape\": [], \"dtype\": \"F32\", \"data_offsets\": [0, 4]} }";
        try (SafeTensors.Contents c = SafeTensors.read(put("py.safetensors", file(header, le(9f, 1f, 2f))))) {
            assertEquals(List.of("w", "b"), List.copyOf(c.tensors().keySet()));
            assertEquals(Map.of("format", "pt"), c.metadata());
            assertArrayEquals(new long[] {1, 2}, c.get("w").shape().toArray());
            assertArrayEquals(new float[] {1f, 2f}, c.get("w").toFloatArray());
            assertEquals(0, c.get("b").dim());
            assertEquals(9.0, c.get("b").item());
        }
    }

    // ---- round trips --------------------------------------------------------------------------

    @Test
    void roundTripsEveryDTypeShapeAndOrder() throws IOException {
        LinkedHashMap<String, Tensor> tensors = new LinkedHashMap<>();
        tensors.put("z.f64", Tensors.of(new double[] {Math.PI, -0.0, Double.MAX_VALUE, Double.MIN_VALUE, Double.NEGATIVE_INFINITY, 1e-300}, 2, 3));
        tensors.put("a.f32", Tensors.of(new float[] {1.5f, -2f, Float.MIN_VALUE, Float.POSITIVE_INFINITY}, 2, 2));
        tensors.put("i32", Tensors.of(new int[] {Integer.MIN_VALUE, -1, 0, Integer.MAX_VALUE}));
        tensors.put("i64", Tensors.of(new long[] {Long.MIN_VALUE, Long.MAX_VALUE, 42}, 3, 1));
        tensors.put("bool", Tensors.of(new boolean[] {true, false, true}, 1, 3));
        try (Tensor f = Tensors.of(new float[] {0.5f, -65504f, 6.1035156e-5f, 1f})) {
            tensors.put("f16", f.to(DType.FLOAT16));
            tensors.put("bf16", f.reshape(2, 2).to(DType.BFLOAT16));
        }
        tensors.put("scalar", Tensors.of(new double[] {3.25}).reshape());
        tensors.put("empty", Tensors.of(new float[0], 0, 3));
        try (Tensor m = Tensors.of(new float[] {1, 2, 3, 4, 5, 6}, 2, 3)) {
            tensors.put("transposed", m.t()); // not contiguous: written in row-major order of the view
        }
        Map<String, String> metadata = new LinkedHashMap<>();
        metadata.put("format", "pt");
        metadata.put("note \"quoted\"\n\t\\ ünïcødé ✓ 𝄞", "value\u0001\u001f/");
        Path out = dir.resolve("all.safetensors");
        SafeTensors.write(out, tensors, metadata);
        long headerLength = ByteBuffer.wrap(Files.readAllBytes(out), 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
        assertEquals(0, headerLength % 8, "header padded to 8 bytes");
        try (SafeTensors.Contents c = SafeTensors.read(out)) {
            assertEquals(List.copyOf(tensors.keySet()), List.copyOf(c.tensors().keySet()));
            assertEquals(metadata, c.metadata());
            for (Map.Entry<String, Tensor> e : tensors.entrySet()) {
                Tensor expected = e.getValue();
                Tensor actual = c.get(e.getKey());
                assertEquals(expected.dtype(), actual.dtype(), e.getKey());
                assertArrayEquals(expected.shape().toArray(), actual.shape().toArray(), e.getKey());
                switch (expected.dtype()) {
                    case FLOAT64 -> assertArrayEquals(expected.toDoubleArray(), actual.toDoubleArray(), e.getKey());
                    case INT32 -> assertArrayEquals(expected.toIntArray(), actual.toIntArray(), e.getKey());
                    case INT64 -> assertArrayEquals(expected.toLongArray(), actual.toLongArray(), e.getKey());
                    case BOOL -> assertArrayEquals(expected.toBooleanArray(), actual.toBooleanArray(), e.getKey());
                    default -> assertArrayEquals(bits(expected.toFloatArray()), bits(actual.toFloatArray()), e.getKey());
                }
            }
            assertArrayEquals(new float[] {1, 4, 2, 5, 3, 6}, c.get("transposed").toFloatArray());
        } finally {
            tensors.values().forEach(Tensor::close);
        }
    }

    static int[] bits(float[] values) {
        int[] out = new int[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = Float.floatToRawIntBits(values[i]);
        }
        return out;
    }

    /** Every float16 and bfloat16 bit pattern but the NaNs (payloads not promised) goes to the file and back unchanged. */
    @Test
    void sixteenBitFloatsKeepTheirBits() throws IOException {
        for (DType dtype : List.of(DType.FLOAT16, DType.BFLOAT16)) {
            List<Short> patterns = new ArrayList<>();
            for (int b = 0; b < 0x10000; b++) {
                float f = widen(dtype, (short) b);
                if (!Float.isNaN(f)) {
                    patterns.add((short) b);
                }
            }
            patterns.add((short) 0x7e00); // a quiet NaN: the canonical one for both
            patterns.add((short) 0xffc0);
            float[] wide = new float[patterns.size()];
            for (int i = 0; i < wide.length; i++) {
                wide[i] = widen(dtype, patterns.get(i));
            }
            Path out = dir.resolve(dtype + ".safetensors");
            try (Tensor w = Tensors.of(wide); Tensor t = w.to(dtype)) {
                SafeTensors.write(out, Map.of("x", t));
            }
            byte[] bytes = Files.readAllBytes(out);
            ByteBuffer data = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
            int start = 8 + (int) data.getLong(0);
            for (int i = 0; i < wide.length; i++) {
                assertEquals(patterns.get(i), data.getShort(start + 2 * i), dtype + " pattern " + i);
            }
            try (SafeTensors.Contents c = SafeTensors.read(out)) {
                assertEquals(dtype, c.get("x").dtype());
                assertArrayEquals(bits(wide), bits(c.get("x").toFloatArray()), dtype.toString());
            }
        }
    }

    static float widen(DType dtype, short bits) {
        return dtype == DType.FLOAT16 ? Float.float16ToFloat(bits) : Float.intBitsToFloat((bits & 0xFFFF) << 16);
    }

    @Test
    void emptyFileHoldsNoTensors() throws IOException {
        Path out = dir.resolve("none.safetensors");
        SafeTensors.write(out, Map.of());
        assertArrayEquals(file("{}", new byte[0]), Files.readAllBytes(out));
        try (SafeTensors.Contents c = SafeTensors.read(out)) {
            assertTrue(c.tensors().isEmpty());
        }
    }

    // ---- atomic writes ------------------------------------------------------------------------

    @Test
    void writeReplacesTheFileAndLeavesNoTemporaryFiles() throws IOException {
        Path out = dir.resolve("model.safetensors");
        Files.writeString(out, "old contents");
        try (Tensor a = Tensors.of(new float[] {1f, 2f})) {
            SafeTensors.write(out, Map.of("a", a));
        }
        assertArrayEquals(GOLDEN, Files.readAllBytes(out));
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(List.of(out), files.toList());
        }
    }

    @Test
    void aFailedWriteLeavesTheOldFileAndNoTemporaryFiles() throws IOException {
        Path out = dir.resolve("model.safetensors");
        Files.write(out, GOLDEN);
        Tensor closed = Tensors.of(new float[] {1f});
        closed.close();
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        try (Tensor a = Tensors.of(new float[] {5f})) {
            tensors.put("a", a);
            tensors.put("closed", closed);
            assertThrows(IllegalStateException.class, () -> SafeTensors.write(out, tensors));
        }
        assertArrayEquals(GOLDEN, Files.readAllBytes(out));
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(List.of(out), files.toList());
        }
    }

    @Test
    void rejectsReservedAndUnencodableNames() {
        try (Tensor a = Tensors.of(new float[] {1f})) {
            assertThrows(IllegalArgumentException.class, () -> SafeTensors.write(dir.resolve("x"), Map.of("__metadata__", a)));
            assertThrows(IllegalArgumentException.class, () -> SafeTensors.write(dir.resolve("x"), Map.of("bad\uD800", a)));
            assertThrows(IllegalArgumentException.class, () -> SafeTensors.write(dir.resolve("x"), Map.of("a", a), Map.of("k", "\uDC00")));
        }
        assertFalse(Files.exists(dir.resolve("x")));
    }
}
