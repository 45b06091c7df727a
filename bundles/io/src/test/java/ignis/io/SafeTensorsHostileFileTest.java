package ignis.io;

import static ignis.io.SafeTensorsTest.file;
import static ignis.io.SafeTensorsTest.le;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import ignis.tensor.DType;
import ignis.tensor.Tensor;
import ignis.tensor.Tensors;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Truncated, damaged and hostile files: each is a SafeTensorsFormatException naming the file and the problem. */
class SafeTensorsHostileFileTest {

    @TempDir
    Path dir;

    private int count;

    /** Reads bytes that must be rejected, and checks the message holds the file name and each fragment. */
    void rejects(byte[] bytes, String... fragments) throws IOException {
        Path path = Files.write(dir.resolve("bad" + count++ + ".safetensors"), bytes);
        SafeTensorsFormatException e = assertThrows(SafeTensorsFormatException.class, () -> SafeTensors.read(path).close());
        assertTrue(e.getMessage().contains(path.toString()), e.getMessage());
        for (String f : fragments) {
            assertTrue(e.getMessage().contains(f), "'" + f + "' not in: " + e.getMessage());
        }
    }

    static String tensor(String name, String dtype, String shape, long begin, long end) {
        return "\"" + name + "\":{\"dtype\":\"" + dtype + "\",\"shape\":" + shape + ",\"data_offsets\":[" + begin + "," + end + "]}";
    }

    static byte[] withLength(long length, byte[] rest) {
        return ByteBuffer.allocate(8 + rest.length).order(ByteOrder.LITTLE_ENDIAN).putLong(length).put(rest).array();
    }

    @Test
    void truncatedOrOversizedHeaderLengths() throws IOException {
        rejects(new byte[0], "0 bytes", "offset 0");
        rejects(new byte[] {8, 0, 0}, "3 bytes");
        rejects(withLength(-1, new byte[8]), "18446744073709551615", "limit");
        rejects(withLength(SafeTensors.MAX_HEADER_BYTES + 1, new byte[8]), "limit");
        rejects(withLength(64, "{}      ".getBytes()), "header length 64", "past the end");
        byte[] golden = SafeTensorsTest.GOLDEN;
        rejects(Arrays.copyOf(golden, golden.length - 1), "tensor 'a'", "past the end of the data");
        rejects(Arrays.copyOf(golden, 40), "past the end");
    }

    @Test
    void malformedJson() throws IOException {
        rejects(file("{\"a\":", new byte[0]), "malformed JSON", "byte offset");
        rejects(file("[1,2]", new byte[0]), "not a JSON object");
        rejects(file("{\"a\":{\"dtype\":\"F32\",}}", new byte[0]), "malformed JSON", "byte offset 28", "'}'"); // 8 + index of the '}'
        rejects(file("{\"a\":1.5}", new byte[0]), "malformed JSON", "fraction");
        rejects(file("{\"a\":\"\\q\"}", new byte[0]), "unknown escape");
        rejects(file("{\"a\":\"x", new byte[0]), "unterminated");
        rejects(file("{} {}", new byte[0]), "after the end");
        rejects(file("[".repeat(100_000), new byte[0]), "nesting deeper");
        byte[] badUtf8 = file("{\"\u00e9\":1}", new byte[0]);
        badUtf8[11] = (byte) 0xff; // the second byte of é
        rejects(badUtf8, "invalid UTF-8", "byte offset 10");
        rejects(withLength(8, "{}\0\0\0\0\0\0".getBytes()), "malformed JSON");
    }

    @Test
    void duplicateNames() throws IOException {
        rejects(file("{" + tensor("a", "F32", "[1]", 0, 4) + "," + tensor("a", "F32", "[1]", 4, 8) + "}", le(1, 2)),
                "duplicate key \"a\"", "byte offset");
    }

    @Test
    void badEntries() throws IOException {
        rejects(file("{" + tensor("a", "U8", "[1]", 0, 1) + "}", new byte[1]), "tensor 'a'", "unsupported dtype 'U8'");
        rejects(file("{" + tensor("a", "F32", "[-1]", 0, 0) + "}", new byte[0]), "tensor 'a'", "negative size -1");
        rejects(file("{" + tensor("a", "F32", "[4294967296,4294967296]", 0, 0) + "}", new byte[0]), "tensor 'a'", "overflows");
        rejects(file("{" + tensor("a", "F32", "[99999999999999999999]", 0, 0) + "}", new byte[0]), "does not fit in 64 bits");
        rejects(file("{" + tensor("a", "F32", "[2305843009213693952]", 0, 0) + "}", new byte[0]), "tensor 'a'", "needs more than 2^63");
        rejects(file("{" + tensor("a", "F32", "[\"2\"]", 0, 8) + "}", le(1, 2)), "tensor 'a'", "'shape'", "not an integer");
        rejects(file("{\"a\":{\"dtype\":\"F32\",\"shape\":[1]}}", le(1)), "tensor 'a'", "'data_offsets'");
        rejects(file("{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4],\"x\":1}}", le(1)), "unknown field 'x'");
        rejects(file("{\"a\":[]}", new byte[0]), "tensor 'a'", "not an object");
        rejects(file("{\"__metadata__\":{\"k\":1}}", new byte[0]), "metadata entry 'k'", "not a string");
        rejects(file("{\"__metadata__\":[]}", new byte[0]), "__metadata__");
    }

    @Test
    void badOffsets() throws IOException {
        rejects(file("{" + tensor("a", "F32", "[2]", 0, 4) + "}", le(1)), "tensor 'a'", "holds 4 bytes", "needs 8");
        rejects(file("{" + tensor("a", "F32", "[1]", 4, 0) + "}", le(1)), "tensor 'a'", "not a range");
        rejects(file("{" + tensor("a", "F32", "[1]", -4, 0) + "}", le(1)), "tensor 'a'", "not a range");
        rejects(file("{" + tensor("a", "F32", "[1]", 4, 8) + "}", le(1, 2)), "tensor 'a'", "gap", "file offset");
        rejects(file("{" + tensor("a", "F32", "[2]", 0, 8) + "," + tensor("b", "F32", "[1]", 4, 8) + "}", le(1, 2)),
                "tensor 'b'", "overlap");
        rejects(file("{" + tensor("a", "F32", "[1]", 0, 4) + "}", le(1, 2)), "4 more bytes");
        rejects(file("{" + tensor("a", "F32", "[1]", 0, Long.MAX_VALUE) + "}", le(1)), "tensor 'a'", "past the end");
    }

    /**
     * Random damage to a valid file (bit flips, overwritten and inserted bytes, truncation, a changed
     * header length, edits inside the JSON) gives a file that reads, or a SafeTensorsFormatException:
     * never another exception. Every size the reader allocates is checked against the file first.
     */
    @Test
    void randomDamageGivesOnlyTheFormatException() throws IOException {
        Path valid = dir.resolve("valid.safetensors");
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        tensors.put("w", Tensors.of(new float[] {1, 2, 3, 4, 5, 6}, 2, 3));
        tensors.put("b", Tensors.of(new long[] {7, 8}));
        tensors.put("mask", Tensors.of(new boolean[] {true, false, true}));
        try (Tensor h = Tensors.of(new float[] {0.5f, 1.5f})) {
            tensors.put("h", h.to(DType.BFLOAT16));
        }
        tensors.put("s", Tensors.of(new double[] {2.0}).reshape());
        SafeTensors.write(valid, tensors, Map.of("format", "pt"));
        tensors.values().forEach(Tensor::close);
        byte[] original = Files.readAllBytes(valid);
        int headerEnd = 8 + (int) ByteBuffer.wrap(original).order(ByteOrder.LITTLE_ENDIAN).getLong(0);
        SplittableRandom random = new SplittableRandom(20261111);
        byte[] jsonBytes = "{}[]\":,0123456789-e.\\u ".getBytes();
        Path damaged = dir.resolve("damaged.safetensors");
        int rejected = 0;
        for (int round = 0; round < 3000; round++) {
            byte[] b = original.clone();
            int edits = 1 + random.nextInt(3);
            for (int e = 0; e < edits; e++) {
                switch (random.nextInt(7)) {
                    case 0 -> { // flip a bit anywhere
                        int at = random.nextInt(b.length);
                        b[at] ^= (byte) (1 << random.nextInt(8));
                    }
                    case 1 -> b[random.nextInt(Math.min(b.length, headerEnd))] = jsonBytes[random.nextInt(jsonBytes.length)];
                    case 2 -> b = Arrays.copyOf(b, random.nextInt(b.length + 1)); // truncate
                    case 3 -> { // insert a byte
                        int at = random.nextInt(b.length + 1);
                        byte[] grown = new byte[b.length + 1];
                        System.arraycopy(b, 0, grown, 0, at);
                        grown[at] = (byte) random.nextInt(256);
                        System.arraycopy(b, at, grown, at + 1, b.length - at);
                        b = grown;
                    }
                    case 4 -> { // a random header length
                        if (b.length >= 8) {
                            long length = random.nextBoolean() ? random.nextLong() : random.nextInt(headerEnd + 16);
                            ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).putLong(0, length);
                        }
                    }
                    case 5 -> { // a digit in the header becomes a big number
                        int at = 8 + random.nextInt(Math.max(1, Math.min(b.length, headerEnd) - 8));
                        if (at < b.length && b[at] >= '0' && b[at] <= '9') {
                            b[at] = '9';
                        }
                    }
                    default -> b[random.nextInt(Math.max(1, b.length))] = (byte) random.nextInt(256);
                }
                if (b.length == 0) {
                    break;
                }
            }
            Files.write(damaged, b);
            try (SafeTensors.Contents c = SafeTensors.read(damaged)) {
                c.tensors().values().forEach(t -> t.toDoubleArray());
            } catch (SafeTensorsFormatException expected) {
                rejected++;
                assertTrue(expected.getMessage().startsWith(damaged.toString()), expected.getMessage());
            } catch (Throwable other) {
                fail("round " + round + ": " + other + " for bytes " + Arrays.toString(b), other);
            }
        }
        assertTrue(rejected > 1000, "only " + rejected + " damaged files rejected");
    }
}
