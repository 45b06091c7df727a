package ignis.data;

import static ignis.data.IdxFiles.concat;
import static ignis.data.IdxFiles.gzip;
import static ignis.data.IdxFiles.header;
import static ignis.data.IdxFiles.write;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IdxReaderTest {

    @TempDir
    Path dir;

    @Test
    void readsUnsignedBytesWithTheirShape() throws IOException {
        Path file = write(dir.resolve("u8"), concat(header(0x08, 2, 3), new byte[] {0, 1, 2, (byte) 200, (byte) 255, 7}));
        IdxArray array = IdxReader.read(file);
        assertEquals(IdxType.UNSIGNED_BYTE, array.type());
        assertArrayEquals(new int[] {2, 3}, array.shape());
        assertEquals(6, array.size());
        assertArrayEquals(new int[] {0, 1, 2, 200, 255, 7}, array.toIntArray());
        assertArrayEquals(new float[] {0, 1, 2, 200, 255, 7}, array.toFloatArray());
    }

    @Test
    void readsBigEndianIntsFloatsDoublesShortsAndSignedBytes() throws IOException {
        ByteBuffer ints = ByteBuffer.allocate(8).putInt(-5).putInt(1 << 30);
        assertArrayEquals(new int[] {-5, 1 << 30}, IdxReader.read(write(dir.resolve("i32"), concat(header(0x0C, 2), ints.array()))).toIntArray());

        ByteBuffer floats = ByteBuffer.allocate(8).putFloat(1.5f).putFloat(Float.NaN);
        float[] f = IdxReader.read(write(dir.resolve("f32"), concat(header(0x0D, 1, 2), floats.array()))).toFloatArray();
        assertEquals(1.5f, f[0]);
        assertTrue(Float.isNaN(f[1]));

        ByteBuffer doubles = ByteBuffer.allocate(8).putDouble(-0.25);
        assertArrayEquals(new float[] {-0.25f}, IdxReader.read(write(dir.resolve("f64"), concat(header(0x0E, 1), doubles.array()))).toFloatArray());

        ByteBuffer shorts = ByteBuffer.allocate(4).putShort((short) -300).putShort((short) 300);
        assertArrayEquals(new int[] {-300, 300}, IdxReader.read(write(dir.resolve("i16"), concat(header(0x0B, 2), shorts.array()))).toIntArray());

        assertArrayEquals(new int[] {-1, 127}, IdxReader.read(write(dir.resolve("i8"), concat(header(0x09, 2), new byte[] {-1, 127}))).toIntArray());
    }

    @Test
    void floatsHaveNoExactInts() throws IOException {
        IdxArray floats = IdxReader.read(write(dir.resolve("f"), concat(header(0x0D, 1), new byte[4])));
        assertThrows(IllegalStateException.class, floats::toIntArray);
    }

    @Test
    void readsGzipCompressedFilesTheSame() throws IOException {
        byte[] plain = concat(header(0x08, 4), new byte[] {9, 8, 7, 6});
        IdxArray array = IdxReader.read(write(dir.resolve("x.gz"), gzip(plain)));
        assertArrayEquals(new int[] {9, 8, 7, 6}, array.toIntArray());
    }

    @Test
    void acceptsZeroSizedDimensions() throws IOException {
        assertEquals(0, IdxReader.read(write(dir.resolve("empty"), header(0x08, 0, 28, 28))).size());
    }

    @Test
    void reportsTheProblemWithFileAndOffset() throws IOException {
        assertFormatError(new byte[] {0, 0}, "truncated: expected the 4-byte magic number at offset 0, but the file ends at offset 2");
        assertFormatError(new byte[] {1, 2, 8, 1, 0, 0, 0, 0}, "not an IDX file: the magic number at offset 0 is 01 02 08 01");
        assertFormatError(new byte[] {0, 0, 0x42, 1, 0, 0, 0, 0}, "unknown IDX element type 0x42 at offset 2");
        assertFormatError(new byte[] {0, 0, 8, 0}, "the header declares 0 dimensions at offset 3");
        assertFormatError(new byte[] {0, 0, 8, 2, 0, 0, 0, 1}, "truncated: expected the 2 dimension sizes at offset 4, but the file ends at offset 8");
        assertFormatError(concat(header(0x08, 2), new byte[] {1}), "truncated: expected the 2 data bytes of shape [2] at offset 8, but the file ends at offset 9");
        assertFormatError(concat(header(0x08, 1), new byte[] {1, 2}), "unexpected data after offset 9, where shape [1] of UNSIGNED_BYTE ends");
        assertFormatError(header(0x08, -1), "dimension 0 at offset 4 is 4294967295, too large");
        assertFormatError(header(0x0E, 1 << 30, 1 << 30, 1 << 30), "declares more than 2^63 bytes of data, over the limit");
    }

    @Test
    void refusesToAllocateMoreThanTheLimitBeforeReading() throws IOException {
        Path file = write(dir.resolve("big"), header(0x0C, 1000, 1000));
        IdxFormatException e = assertThrows(IdxFormatException.class, () -> IdxReader.read(file, 1_000_000));
        assertTrue(e.getMessage().contains("declares 4000000 bytes of data, over the limit of 1000000"), e.getMessage());
    }

    @Test
    void reportsACorruptGzipStream() throws IOException {
        byte[] compressed = gzip(concat(header(0x08, 100), new byte[100]));
        Path file = write(dir.resolve("cut.gz"), Arrays.copyOf(compressed, compressed.length / 2));
        IdxFormatException e = assertThrows(IdxFormatException.class, () -> IdxReader.read(file));
        assertTrue(e.getMessage().startsWith(file + " (gzip"), e.getMessage());
    }

    /** Bytes after the end of the gzip stream are trailing garbage, as after the data of a plain file (Python's gzip refuses them too). */
    @Test
    void reportsGarbageAfterTheGzipStream() throws IOException {
        byte[] compressed = gzip(concat(header(0x08, 4), new byte[] {9, 8, 7, 6}));
        for (byte[] garbage : new byte[][] {{42}, {1, 2, 3}, new byte[100], {0x1f}}) {
            Path file = write(dir.resolve("garbage.gz"), concat(compressed, garbage));
            IdxFormatException e = assertThrows(IdxFormatException.class, () -> IdxReader.read(file), "garbage " + Arrays.toString(garbage));
            assertTrue(e.getMessage().startsWith(file + " (gzip"), e.getMessage());
            assertTrue(e.getMessage().contains("bad gzip stream at offset 12: unexpected data after the gzip stream at compressed offset "
                    + compressed.length), e.getMessage());
            assertInstanceOf(java.util.zip.ZipException.class, e.getCause());
        }
    }

    /** gzip files may hold several members one after the other (RFC 1952 2.2): their data is read as one. */
    @Test
    void readsConcatenatedGzipMembers() throws IOException {
        byte[] twoMembers = concat(gzip(concat(header(0x08, 4), new byte[] {9, 8})), gzip(new byte[] {7, 6}));
        assertArrayEquals(new int[] {9, 8, 7, 6}, IdxReader.read(write(dir.resolve("two.gz"), twoMembers)).toIntArray());
        byte[] extra = concat(gzip(concat(header(0x08, 2), new byte[] {9, 8})), gzip(new byte[] {7}));
        Path file = write(dir.resolve("extra.gz"), extra);
        IdxFormatException e = assertThrows(IdxFormatException.class, () -> IdxReader.read(file));
        assertTrue(e.getMessage().contains("unexpected data after offset 10, where shape [2] of UNSIGNED_BYTE ends"), e.getMessage());
    }

    /** A damaged CRC-32 or length in the gzip trailer is reported, not ignored. */
    @Test
    void reportsABadGzipTrailer() throws IOException {
        byte[] compressed = gzip(concat(header(0x08, 4), new byte[] {9, 8, 7, 6}));
        int trailer = compressed.length - 8;
        byte[] badCrc = compressed.clone();
        badCrc[trailer] ^= 1;
        assertGzipError(badCrc, "the CRC-32 in the gzip trailer at compressed offset " + trailer);
        byte[] badLength = compressed.clone();
        badLength[trailer + 4] ^= 1;
        assertGzipError(badLength, "the length in the gzip trailer at compressed offset " + (trailer + 4) + " is 13 but the member holds 12 bytes");
    }

    private void assertGzipError(byte[] bytes, String expected) throws IOException {
        Path file = write(dir.resolve("bad.gz"), bytes);
        IdxFormatException e = assertThrows(IdxFormatException.class, () -> IdxReader.read(file));
        assertTrue(e.getMessage().startsWith(file + " (gzip"), e.getMessage());
        assertTrue(e.getMessage().contains(expected), e.getMessage());
    }

    /** A gzip stream cut short says where, and keeps the cause. */
    @Test
    void aTruncatedGzipStreamSaysWhereTheDataEnds() throws IOException {
        byte[] data = new byte[1000];
        for (int i = 0; i < data.length; i++) {
            data[i] = (byte) (i * 7919 >>> 3); // little repetition, so the compressed stream is long
        }
        byte[] compressed = gzip(concat(header(0x08, 1000), data));
        for (int cut : new int[] {5, 20, compressed.length / 2, compressed.length - 4}) {
            Path file = write(dir.resolve("cut.gz"), Arrays.copyOf(compressed, cut));
            IdxFormatException e = assertThrows(IdxFormatException.class, () -> IdxReader.read(file), "cut at " + cut);
            assertTrue(e.getMessage().startsWith(file + " (gzip"), e.getMessage());
            assertTrue(e.getMessage().contains("truncated: the gzip stream ends at compressed offset " + cut), e.getMessage());
            assertInstanceOf(java.io.EOFException.class, e.getCause());
        }
    }

    /** Random damage to a valid file either still reads or is reported as a format error: nothing else. */
    @Test
    void damagedFilesFailCleanly() throws IOException {
        byte[] valid = concat(header(0x0C, 3, 2), new byte[24]);
        SplittableRandom random = new SplittableRandom(42);
        for (int trial = 0; trial < 5000; trial++) {
            byte[] damaged = random.nextBoolean() ? valid.clone() : gzip(valid);
            int edits = 1 + random.nextInt(4);
            for (int e = 0; e < edits; e++) {
                damaged[random.nextInt(damaged.length)] = (byte) random.nextInt(256);
            }
            if (random.nextInt(4) == 0) {
                damaged = Arrays.copyOf(damaged, random.nextInt(damaged.length + 8));
            }
            Path file = write(dir.resolve("fuzz"), damaged);
            try {
                IdxArray array = IdxReader.read(file, 1 << 20);
                assertTrue(array.size() * array.type().size() <= 1 << 20);
            } catch (IdxFormatException expected) {
                assertTrue(expected.getMessage().startsWith(file.toString()), expected.getMessage());
            }
        }
    }

    private void assertFormatError(byte[] bytes, String expected) throws IOException {
        Path file = write(dir.resolve("bad"), bytes);
        IdxFormatException e = assertThrows(IdxFormatException.class, () -> IdxReader.read(file));
        assertTrue(e.getMessage().startsWith(file + ": "), e.getMessage());
        assertTrue(e.getMessage().contains(expected), e.getMessage());
    }
}
