package ignis.data;

import ignis.data.internal.StrictGzipInputStream;
import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.ZipException;

/**
 * Reads IDX files (the format of MNIST and Fashion-MNIST), gzip-compressed or not. The header is
 * validated, the declared size is checked against a limit before anything is allocated, and the
 * file must hold exactly the data its header declares.
 */
public final class IdxReader {

    /** The largest data section read unless the caller allows more: 1 GiB. */
    public static final long DEFAULT_MAX_BYTES = 1L << 30;

    private static final int MAX_ARRAY_BYTES = Integer.MAX_VALUE - 8;

    private IdxReader() {
    }

    public static IdxArray read(Path file) throws IOException {
        return read(file, DEFAULT_MAX_BYTES);
    }

    /**
     * @param maxBytes the largest data section accepted, in bytes
     * @throws IdxFormatException naming the file and offset when it is not a well-formed IDX file
     */
    public static IdxArray read(Path file, long maxBytes) throws IOException {
        try (InputStream raw = new BufferedInputStream(Files.newInputStream(file))) {
            raw.mark(2);
            boolean gzip = raw.read() == 0x1f && raw.read() == 0x8b;
            raw.reset();
            if (!gzip) {
                return read(raw, file.toString(), maxBytes);
            }
            String name = file + " (gzip; offsets are in the uncompressed data)";
            StrictGzipInputStream in;
            try {
                in = new StrictGzipInputStream(raw);
            } catch (ZipException | EOFException e) {
                throw badGzip(name, 0, e);
            }
            try (in) {
                return read(in, name, maxBytes);
            } catch (ZipException | EOFException e) {
                throw badGzip(name, in.uncompressedOffset(), e);
            }
        }
    }

    private static IdxFormatException badGzip(String name, long offset, IOException e) {
        return new IdxFormatException(name + ": bad gzip stream at offset " + offset + ": " + e.getMessage(), e);
    }

    private static IdxArray read(InputStream in, String name, long maxBytes) throws IOException {
        byte[] magic = readFully(in, 4, name, 0, "the 4-byte magic number");
        if (magic[0] != 0 || magic[1] != 0) {
            throw new IdxFormatException(name + ": not an IDX file: the magic number at offset 0 is "
                    + hex(magic) + ", expected 00 00 TYPE DIMS");
        }
        IdxType type = IdxType.ofCode(magic[2] & 0xFF);
        if (type == null) {
            throw new IdxFormatException(name + ": unknown IDX element type 0x" + Integer.toHexString(magic[2] & 0xFF)
                    + " at offset 2 (known: 08 09 0b 0c 0d 0e)");
        }
        int dims = magic[3] & 0xFF;
        if (dims == 0) {
            throw new IdxFormatException(name + ": the header declares 0 dimensions at offset 3");
        }
        ByteBuffer header = ByteBuffer.wrap(readFully(in, 4 * dims, name, 4, "the " + dims + " dimension sizes"));
        int[] shape = new int[dims];
        long bytes = type.size();
        for (int d = 0; d < dims; d++) {
            shape[d] = header.getInt();
            if (shape[d] < 0) {
                throw new IdxFormatException(name + ": dimension " + d + " at offset " + (4 + 4 * d)
                        + " is " + Integer.toUnsignedString(shape[d]) + ", too large");
            }
            bytes = saturatingMultiply(bytes, shape[d]);
        }
        long limit = Math.min(maxBytes, MAX_ARRAY_BYTES);
        if (bytes > limit) {
            throw new IdxFormatException(name + ": shape " + Arrays.toString(shape) + " of " + type + " declares "
                    + (bytes == Long.MAX_VALUE ? "more than 2^63" : bytes) + " bytes of data, over the limit of " + limit);
        }
        long dataOffset = 4L + 4L * dims;
        byte[] data = readFully(in, (int) bytes, name, dataOffset, "the " + bytes + " data bytes of shape " + Arrays.toString(shape));
        if (in.read() != -1) {
            throw new IdxFormatException(name + ": unexpected data after offset " + (dataOffset + bytes)
                    + ", where shape " + Arrays.toString(shape) + " of " + type + " ends");
        }
        return new IdxArray(type, shape, data);
    }

    private static byte[] readFully(InputStream in, int length, String name, long offset, String what) throws IOException {
        byte[] bytes = in.readNBytes(length);
        if (bytes.length < length) {
            throw new IdxFormatException(name + ": truncated: expected " + what + " at offset " + offset
                    + ", but the file ends at offset " + (offset + bytes.length));
        }
        return bytes;
    }

    private static long saturatingMultiply(long a, long b) {
        long high = Math.multiplyHigh(a, b);
        long product = a * b;
        return high != 0 || product < 0 ? Long.MAX_VALUE : product;
    }

    private static String hex(byte[] bytes) {
        StringBuilder out = new StringBuilder();
        for (byte b : bytes) {
            out.append(out.isEmpty() ? "" : " ").append(String.format("%02x", b & 0xFF));
        }
        return out.toString();
    }
}
