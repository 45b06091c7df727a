package ignis.data.internal;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.util.Objects;
import java.util.zip.CRC32;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;
import java.util.zip.ZipException;

/**
 * The data of a gzip stream (RFC 1952): one member, or several one after the other, with each
 * member's CRC-32 and length checked. Unlike {@link java.util.zip.GZIPInputStream}, which ends
 * silently at bytes after a member that do not start another one, this reports them: a file with
 * something appended is damaged, not good. Errors are {@link ZipException}s, or
 * {@link EOFException}s for a stream cut short, that name the offset in the compressed stream
 * (its byte count from the start of {@code in}).
 */
public final class StrictGzipInputStream extends InputStream {

    private static final int FHCRC = 2;
    private static final int FEXTRA = 4;
    private static final int FNAME = 8;
    private static final int FCOMMENT = 16;

    private final InputStream in;
    private final Inflater inflater = new Inflater(true);
    private final CRC32 crc = new CRC32();
    private final byte[] buffer = new byte[1 << 16];
    /** The offset in the compressed stream of {@code buffer[0]}. */
    private long bufferStart;
    /** The next byte of {@code buffer} that neither the inflater nor the header and trailer parsing has used. */
    private int position;
    private int limit;
    private long produced;
    private boolean ended;

    /**
     * Reads the header of the first member.
     *
     * @throws ZipException when {@code in} does not start with a gzip header
     * @throws EOFException when it ends inside the header
     */
    public StrictGzipInputStream(InputStream in) throws IOException {
        this.in = Objects.requireNonNull(in, "in");
        try {
            readHeader();
        } catch (IOException | RuntimeException e) {
            inflater.end();
            throw e;
        }
    }

    /** The number of bytes of data read so far: the offset of the next one in the uncompressed data. */
    public long uncompressedOffset() {
        return produced;
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) == -1 ? -1 : one[0] & 0xFF;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        Objects.checkFromIndexSize(off, len, b.length);
        if (len == 0) {
            return 0;
        }
        while (!ended) {
            if (inflater.finished()) {
                readTrailer();
                ended = !nextMember();
                continue;
            }
            if (inflater.needsInput()) {
                if (position == limit && !fill()) {
                    throw new EOFException("truncated: the gzip stream ends at compressed offset " + offset() + ", inside compressed data");
                }
                inflater.setInput(buffer, position, limit - position);
            }
            int n;
            try {
                n = inflater.inflate(b, off, len);
            } catch (DataFormatException e) {
                throw new ZipException("corrupt compressed data before compressed offset " + offset() + ": " + e.getMessage());
            }
            position = limit - inflater.getRemaining();
            if (n > 0) {
                crc.update(b, off, n);
                produced += n;
                return n;
            }
            if (inflater.needsDictionary()) {
                throw new ZipException("the compressed data before compressed offset " + offset() + " needs a preset dictionary, which gzip does not have");
            }
        }
        return -1;
    }

    @Override
    public void close() throws IOException {
        inflater.end();
        in.close();
    }

    private long offset() {
        return bufferStart + position;
    }

    private boolean fill() throws IOException {
        bufferStart += limit;
        position = 0;
        limit = Math.max(0, in.read(buffer));
        return limit > 0;
    }

    private int readByte() throws IOException {
        if (position == limit && !fill()) {
            throw new EOFException("truncated: the gzip stream ends at compressed offset " + offset() + ", inside a member's header or trailer");
        }
        return buffer[position++] & 0xFF;
    }

    private void skip(int count) throws IOException {
        for (int i = 0; i < count; i++) {
            readByte();
        }
    }

    private void readHeader() throws IOException {
        long start = offset();
        if (readByte() != 0x1f || readByte() != 0x8b) {
            throw new ZipException("no gzip header at compressed offset " + start);
        }
        if (readByte() != 8) {
            throw new ZipException("the gzip member at compressed offset " + start + " is not compressed with deflate");
        }
        int flags = readByte();
        skip(6); // modification time, extra flags, operating system
        if ((flags & FEXTRA) != 0) {
            skip(readByte() | readByte() << 8);
        }
        if ((flags & FNAME) != 0) {
            while (readByte() != 0) {
                // the file name, zero-terminated
            }
        }
        if ((flags & FCOMMENT) != 0) {
            while (readByte() != 0) {
                // the comment, zero-terminated
            }
        }
        if ((flags & FHCRC) != 0) {
            skip(2); // the header's own CRC-16, rarely written; damage there is harmless to the data, which is checked
        }
    }

    private void readTrailer() throws IOException {
        long at = offset();
        long storedCrc = readUnsignedInt();
        long storedSize = readUnsignedInt();
        if (storedCrc != crc.getValue()) {
            throw new ZipException("the CRC-32 in the gzip trailer at compressed offset " + at + " is " + Long.toHexString(storedCrc)
                    + " but the data's is " + Long.toHexString(crc.getValue()));
        }
        if (storedSize != (inflater.getBytesWritten() & 0xFFFF_FFFFL)) {
            throw new ZipException("the length in the gzip trailer at compressed offset " + (at + 4) + " is " + storedSize
                    + " but the member holds " + inflater.getBytesWritten() + " bytes");
        }
    }

    /** Starts the member that follows, if any; anything else after a member is an error. */
    private boolean nextMember() throws IOException {
        if (position == limit && !fill()) {
            return false;
        }
        long at = offset();
        try {
            readHeader();
        } catch (ZipException | EOFException e) {
            throw new ZipException("unexpected data after the gzip stream at compressed offset " + at + ": neither the end of the file nor another gzip member");
        }
        inflater.reset();
        crc.reset();
        return true;
    }

    private long readUnsignedInt() throws IOException {
        return readByte() | readByte() << 8 | readByte() << 16 | (long) readByte() << 24;
    }
}
