package ignis.io;

import ignis.io.json.Json;
import ignis.tensor.DType;
import ignis.tensor.Tensor;
import ignis.tensor.Tensors;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Reads and writes <a href="https://github.com/huggingface/safetensors">safetensors</a> files, as
 * Python's {@code safetensors.torch.save_file}/{@code load_file}: an 8-byte little-endian header
 * length N, N bytes of UTF-8 JSON mapping each tensor name to its {@code dtype}, {@code shape} and
 * {@code data_offsets} (plus an optional {@code __metadata__} object of strings), then the raw
 * little-endian data.
 *
 * <p>dtypes: F32, F64, F16, BF16, I32, I64 and BOOL, as {@link DType}'s float32, float64, float16,
 * bfloat16, int32, int64 and bool. Other safetensors dtypes (U8, I8, I16, F8_*, ...) are reported as
 * unsupported. float16 and bfloat16 travel through float32, which holds them exactly: the bits of
 * every value are preserved, except that a signalling NaN may come back quiet.
 */
public final class SafeTensors {

    /** Largest header accepted when reading, as the reference implementation (100 MB). */
    public static final long MAX_HEADER_BYTES = 100_000_000L;

    /** The key of the metadata object in the header. */
    public static final String METADATA_KEY = "__metadata__";

    private static final int LENGTH_BYTES = 8;
    /** Deepest JSON nesting accepted in a header; safetensors needs 3. */
    private static final int HEADER_DEPTH = 64;
    private static final int ALIGNMENT = 8;
    private static final int CHUNK = 1 << 20;

    /**
     * What a file holds: its tensors in file (header) order, and its metadata.
     * Closing it closes the tensors.
     */
    public record Contents(LinkedHashMap<String, Tensor> tensors, Map<String, String> metadata) implements AutoCloseable {
        public Contents {
            Objects.requireNonNull(tensors, "tensors");
            metadata = Collections.unmodifiableMap(new LinkedHashMap<>(metadata));
        }

        /** The tensor called {@code name}; fails naming the names there are when there is none. */
        public Tensor get(String name) {
            Tensor t = tensors.get(name);
            if (t == null) {
                throw new IllegalArgumentException("no tensor '" + name + "'; the file holds " + tensors.keySet());
            }
            return t;
        }

        @Override
        public void close() {
            tensors.values().forEach(Tensor::close);
        }
    }

    private SafeTensors() {
    }

    // ---- dtypes -------------------------------------------------------------------------------

    /** The safetensors name of a dtype: {@code F32}, {@code BF16}, {@code BOOL}... */
    public static String code(DType dtype) {
        return switch (dtype) {
            case BOOL -> "BOOL";
            case INT32 -> "I32";
            case INT64 -> "I64";
            case FLOAT16 -> "F16";
            case BFLOAT16 -> "BF16";
            case FLOAT32 -> "F32";
            case FLOAT64 -> "F64";
        };
    }

    private static DType dtypeOf(String code) {
        return switch (code) {
            case "BOOL" -> DType.BOOL;
            case "I32" -> DType.INT32;
            case "I64" -> DType.INT64;
            case "F16" -> DType.FLOAT16;
            case "BF16" -> DType.BFLOAT16;
            case "F32" -> DType.FLOAT32;
            case "F64" -> DType.FLOAT64;
            default -> null;
        };
    }

    // ---- writing ------------------------------------------------------------------------------

    /** {@link #write(Path, Map, Map)} without metadata. */
    public static void write(Path file, Map<String, Tensor> tensors) throws IOException {
        write(file, tensors, Map.of());
    }

    /**
     * Writes {@code tensors} (in the map's iteration order: pass a {@link LinkedHashMap} for a stable
     * file) and {@code metadata} (omitted from the header when empty) to {@code file}, atomically:
     * the bytes go to a temporary file in the same folder, which is forced to disk and then renamed
     * over {@code file}. Tensors may be on any device and in any layout; they are not modified.
     *
     * @throws IllegalArgumentException for a null or {@value #METADATA_KEY} name, a null tensor or
     *         metadata entry, or a string with an unpaired surrogate
     */
    public static void write(Path file, Map<String, Tensor> tensors, Map<String, String> metadata) throws IOException {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(tensors, "tensors");
        metadata = metadata == null ? Map.of() : metadata;
        byte[] header = header(tensors, metadata);
        Path target = file.toAbsolutePath();
        Path temp = Files.createTempFile(target.getParent(), "." + target.getFileName(), ".tmp");
        boolean moved = false;
        try {
            try (FileChannel out = FileChannel.open(temp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
                ByteBuffer length = ByteBuffer.allocate(LENGTH_BYTES).order(ByteOrder.LITTLE_ENDIAN).putLong(header.length).flip();
                writeFully(out, length);
                writeFully(out, ByteBuffer.wrap(header));
                for (Tensor t : tensors.values()) {
                    writeFully(out, data(t));
                }
                out.force(true);
            }
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            moved = true;
        } finally {
            if (!moved) {
                Files.deleteIfExists(temp);
            }
        }
    }

    /** The JSON header, padded with spaces to a multiple of 8 bytes as the reference implementation does. */
    static byte[] header(Map<String, Tensor> tensors, Map<String, String> metadata) {
        StringBuilder json = new StringBuilder("{");
        if (!metadata.isEmpty()) {
            Json.writeString(json, METADATA_KEY).append(":{");
            boolean first = true;
            for (Map.Entry<String, String> e : metadata.entrySet()) {
                if (e.getKey() == null || e.getValue() == null) {
                    throw new IllegalArgumentException("metadata entries must not be null: " + e.getKey() + " = " + e.getValue());
                }
                if (!first) {
                    json.append(',');
                }
                first = false;
                Json.writeString(json, e.getKey()).append(':');
                Json.writeString(json, e.getValue());
            }
            json.append('}');
        }
        long offset = 0;
        for (Map.Entry<String, Tensor> e : tensors.entrySet()) {
            String name = e.getKey();
            Tensor t = e.getValue();
            if (name == null || t == null) {
                throw new IllegalArgumentException("tensor names and tensors must not be null: " + name + " = " + t);
            }
            if (name.equals(METADATA_KEY)) {
                throw new IllegalArgumentException("'" + METADATA_KEY + "' is reserved for the metadata and cannot name a tensor");
            }
            long bytes = Math.multiplyExact(t.numel(), (long) t.dtype().byteSize());
            if (json.length() > 1) {
                json.append(',');
            }
            Json.writeString(json, name).append(":{\"dtype\":");
            Json.writeString(json, code(t.dtype())).append(",\"shape\":");
            Json.writeLongs(json, t.shape().toArray()).append(",\"data_offsets\":");
            Json.writeLongs(json, offset, offset + bytes).append('}');
            offset += bytes;
        }
        json.append('}');
        byte[] utf8 = json.toString().getBytes(StandardCharsets.UTF_8);
        int padded = (utf8.length + ALIGNMENT - 1) / ALIGNMENT * ALIGNMENT;
        byte[] out = new byte[padded];
        System.arraycopy(utf8, 0, out, 0, utf8.length);
        for (int i = utf8.length; i < padded; i++) {
            out[i] = ' ';
        }
        return out;
    }

    /** The little-endian bytes of t's elements in row-major order. */
    private static ByteBuffer data(Tensor t) {
        long bytes = t.numel() * t.dtype().byteSize();
        if (bytes > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("tensor " + t.shape() + " " + t.dtype() + " has " + bytes
                    + " bytes; this writer handles at most 2 GiB per tensor");
        }
        ByteBuffer out = ByteBuffer.allocate((int) bytes).order(ByteOrder.LITTLE_ENDIAN);
        switch (t.dtype()) {
            case FLOAT32 -> out.asFloatBuffer().put(t.toFloatArray());
            case FLOAT64 -> out.asDoubleBuffer().put(t.toDoubleArray());
            case INT32 -> out.asIntBuffer().put(t.toIntArray());
            case INT64 -> out.asLongBuffer().put(t.toLongArray());
            case FLOAT16 -> {
                for (float v : t.toFloatArray()) {
                    out.putShort(Float.floatToFloat16(v));
                }
            }
            case BFLOAT16 -> {
                for (float v : t.toFloatArray()) {
                    // exact: v is a widened bfloat16, whose low 16 bits are zero
                    out.putShort((short) (Float.floatToRawIntBits(v) >>> 16));
                }
            }
            case BOOL -> {
                for (boolean v : t.toBooleanArray()) {
                    out.put((byte) (v ? 1 : 0));
                }
            }
        }
        return out.position(0).limit((int) bytes);
    }

    private static void writeFully(FileChannel out, ByteBuffer buffer) throws IOException {
        while (buffer.hasRemaining()) {
            out.write(buffer);
        }
    }

    // ---- reading ------------------------------------------------------------------------------

    /** One tensor's entry in the header. */
    private record Entry(String name, DType dtype, long[] shape, long numel, long begin, long end) {
    }

    /**
     * Reads every tensor of a safetensors file into cpu tensors of the file's dtypes, in header order.
     * Everything is checked before data is read: the header length against the file size and
     * {@link #MAX_HEADER_BYTES}, the JSON, each dtype and shape, and that the data_offsets ranges
     * have the size of their tensors and tile the data section exactly, without gaps or overlaps.
     *
     * @throws SafeTensorsFormatException if the file breaks the format, naming the file, the tensor
     *         and the byte offset or field
     */
    public static Contents read(Path file) throws IOException {
        try (FileChannel in = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = in.size();
            if (size < LENGTH_BYTES) {
                throw format(file, "is " + size + " bytes, shorter than the 8-byte header length at offset 0");
            }
            ByteBuffer lengthBytes = readFully(file, in, 0, LENGTH_BYTES).order(ByteOrder.LITTLE_ENDIAN);
            long headerLength = lengthBytes.getLong(0);
            if (headerLength < 0 || headerLength > MAX_HEADER_BYTES) {
                throw format(file, "header length " + Long.toUnsignedString(headerLength) + " at offset 0 exceeds the limit of "
                        + MAX_HEADER_BYTES + " bytes");
            }
            if (headerLength > size - LENGTH_BYTES) {
                throw format(file, "header length " + headerLength + " at offset 0 runs past the end of the file ("
                        + size + " bytes): truncated?");
            }
            byte[] headerBytes = readFully(file, in, LENGTH_BYTES, (int) headerLength).array();
            long dataStart = LENGTH_BYTES + headerLength;
            long dataSize = size - dataStart;
            Map<String, String> metadata = new LinkedHashMap<>();
            List<Entry> entries = parseHeader(file, headerBytes, dataSize, metadata);
            checkTiling(file, entries, dataStart, dataSize);
            LinkedHashMap<String, Tensor> tensors = new LinkedHashMap<>();
            try {
                for (Entry e : entries) {
                    tensors.put(e.name, tensor(e, readFully(file, in, dataStart + e.begin, (int) (e.end - e.begin))));
                }
            } catch (IOException | RuntimeException | Error e) {
                tensors.values().forEach(Tensor::close);
                throw e;
            }
            return new Contents(tensors, metadata);
        }
    }

    private static List<Entry> parseHeader(Path file, byte[] header, long dataSize, Map<String, String> metadata)
            throws SafeTensorsFormatException {
        Object root;
        try {
            root = Json.parse(header, HEADER_DEPTH, Json.Numbers.INTEGERS);
        } catch (Json.SyntaxException e) {
            throw format(file, "malformed JSON header at byte offset " + (LENGTH_BYTES + e.offset()) + ": " + e.getMessage());
        }
        if (!(root instanceof Map<?, ?> top)) {
            throw format(file, "header at offset 8 is not a JSON object");
        }
        List<Entry> entries = new ArrayList<>();
        for (Map.Entry<?, ?> kv : top.entrySet()) {
            String name = (String) kv.getKey();
            if (name.equals(METADATA_KEY)) {
                if (!(kv.getValue() instanceof Map<?, ?> m)) {
                    throw format(file, "'" + METADATA_KEY + "' is not an object of strings");
                }
                for (Map.Entry<?, ?> meta : m.entrySet()) {
                    if (!(meta.getValue() instanceof String value)) {
                        throw format(file, "metadata entry '" + meta.getKey() + "' is " + meta.getValue() + ", not a string");
                    }
                    metadata.put((String) meta.getKey(), value);
                }
                continue;
            }
            entries.add(entry(file, name, kv.getValue(), dataSize));
        }
        return entries;
    }

    private static Entry entry(Path file, String name, Object value, long dataSize) throws SafeTensorsFormatException {
        String where = "tensor '" + name + "'";
        if (!(value instanceof Map<?, ?> info)) {
            throw format(file, where + " is " + value + ", not an object with dtype, shape and data_offsets");
        }
        for (Object key : info.keySet()) {
            if (!key.equals("dtype") && !key.equals("shape") && !key.equals("data_offsets")) {
                throw format(file, where + " has an unknown field '" + key + "'");
            }
        }
        if (!(info.get("dtype") instanceof String code)) {
            throw format(file, where + ": field 'dtype' is " + info.get("dtype") + ", not a string");
        }
        DType dtype = dtypeOf(code);
        if (dtype == null) {
            throw format(file, where + ": unsupported dtype '" + code + "' (supported: F32, F64, F16, BF16, I32, I64, BOOL)");
        }
        long[] shape = longs(file, where, "shape", info.get("shape"), -1);
        long numel = 1;
        for (int d = 0; d < shape.length; d++) {
            if (shape[d] < 0) {
                throw format(file, where + ": field 'shape' has a negative size " + shape[d] + " at dimension " + d);
            }
            try {
                numel = Math.multiplyExact(numel, shape[d]);
            } catch (ArithmeticException e) {
                throw format(file, where + ": field 'shape' " + Arrays.toString(shape) + " overflows 64 bits");
            }
        }
        long[] offsets = longs(file, where, "data_offsets", info.get("data_offsets"), 2);
        long begin = offsets[0];
        long end = offsets[1];
        if (begin < 0 || end < begin) {
            throw format(file, where + ": field 'data_offsets' [" + begin + ", " + end + "] is not a range (need 0 <= begin <= end)");
        }
        if (end > dataSize) {
            throw format(file, where + ": field 'data_offsets' [" + begin + ", " + end + "] runs past the end of the data ("
                    + dataSize + " bytes): truncated?");
        }
        long bytes;
        try {
            bytes = Math.multiplyExact(numel, (long) dtype.byteSize());
        } catch (ArithmeticException e) {
            bytes = -1;
        }
        if (bytes != end - begin) {
            throw format(file, where + ": field 'data_offsets' [" + begin + ", " + end + "] holds " + (end - begin)
                    + " bytes, but shape " + Arrays.toString(shape) + " of " + dtype + " needs "
                    + (bytes < 0 ? "more than 2^63" : String.valueOf(bytes)));
        }
        if (numel > Integer.MAX_VALUE - 8) {
            throw format(file, where + " has " + numel + " elements; this reader holds at most 2^31 - 9 per tensor");
        }
        return new Entry(name, dtype, shape, numel, begin, end);
    }

    private static long[] longs(Path file, String where, String field, Object value, int expectedLength)
            throws SafeTensorsFormatException {
        if (!(value instanceof List<?> list) || expectedLength >= 0 && list.size() != expectedLength) {
            throw format(file, where + ": field '" + field + "' is " + value + ", not "
                    + (expectedLength >= 0 ? "an array of " + expectedLength + " integers" : "an array of integers"));
        }
        long[] out = new long[list.size()];
        for (int i = 0; i < out.length; i++) {
            if (!(list.get(i) instanceof Long l)) {
                throw format(file, where + ": field '" + field + "' has " + list.get(i) + " at index " + i + ", not an integer");
            }
            out[i] = l;
        }
        return out;
    }

    /** The ranges, in order of offset, must follow each other from 0 to the end of the file. */
    private static void checkTiling(Path file, List<Entry> entries, long dataStart, long dataSize) throws SafeTensorsFormatException {
        List<Entry> byOffset = new ArrayList<>(entries);
        byOffset.sort(Comparator.comparingLong(Entry::begin).thenComparingLong(Entry::end));
        long expected = 0;
        for (Entry e : byOffset) {
            if (e.begin != expected) {
                throw format(file, "tensor '" + e.name + "': data_offsets [" + e.begin + ", " + e.end + "] (file offset "
                        + (dataStart + e.begin) + ") " + (e.begin > expected ? "leave a gap after" : "overlap")
                        + " data offset " + expected + "; tensors must be stored contiguously");
            }
            expected = e.end;
        }
        if (expected != dataSize) {
            throw format(file, "the tensors' data ends at data offset " + expected + " (file offset " + (dataStart + expected)
                    + "), but the file has " + (dataSize - expected) + " more bytes after it");
        }
    }

    private static Tensor tensor(Entry e, ByteBuffer bytes) {
        bytes.order(ByteOrder.LITTLE_ENDIAN);
        int n = (int) e.numel;
        long[] shape = e.shape;
        return switch (e.dtype) {
            case FLOAT32 -> {
                float[] a = new float[n];
                bytes.asFloatBuffer().get(a);
                yield shaped(Tensors.of(a), shape);
            }
            case FLOAT64 -> {
                double[] a = new double[n];
                bytes.asDoubleBuffer().get(a);
                yield shaped(Tensors.of(a), shape);
            }
            case INT32 -> {
                int[] a = new int[n];
                bytes.asIntBuffer().get(a);
                yield shaped(Tensors.of(a), shape);
            }
            case INT64 -> {
                long[] a = new long[n];
                bytes.asLongBuffer().get(a);
                yield shaped(Tensors.of(a), shape);
            }
            case FLOAT16, BFLOAT16 -> {
                float[] a = new float[n];
                for (int i = 0; i < n; i++) {
                    short bits = bytes.getShort(2 * i);
                    a[i] = e.dtype == DType.FLOAT16 ? Float.float16ToFloat(bits) : Float.intBitsToFloat((bits & 0xFFFF) << 16);
                }
                try (Tensor wide = shaped(Tensors.of(a), shape)) {
                    yield wide.to(e.dtype);
                }
            }
            case BOOL -> {
                boolean[] a = new boolean[n];
                for (int i = 0; i < n; i++) {
                    a[i] = bytes.get(i) != 0;
                }
                yield shaped(Tensors.of(a), shape);
            }
        };
    }

    /** A 1-D tensor in the given shape (which may be that of a scalar). */
    private static Tensor shaped(Tensor flat, long[] shape) {
        if (shape.length == 1) {
            return flat;
        }
        try (flat) {
            return flat.reshape(shape);
        }
    }

    private static ByteBuffer readFully(Path file, FileChannel in, long position, int length) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(length);
        while (buffer.hasRemaining()) {
            int read = in.read(buffer.slice(buffer.position(), Math.min(CHUNK, buffer.remaining())), position + buffer.position());
            if (read < 0) {
                throw format(file, "ends at offset " + (position + buffer.position()) + " while " + length
                        + " bytes from offset " + position + " were expected: the file changed while being read?");
            }
            buffer.position(buffer.position() + read);
        }
        return buffer.flip();
    }

    private static SafeTensorsFormatException format(Path file, String message) {
        return new SafeTensorsFormatException(file + ": " + message);
    }
}
