package ignis.data;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;

/** Writes IDX files byte by byte, as the format's description says, for the tests. */
final class IdxFiles {

    private IdxFiles() {
    }

    static byte[] header(int typeCode, int... shape) {
        ByteBuffer header = ByteBuffer.allocate(4 + 4 * shape.length);
        header.put((byte) 0).put((byte) 0).put((byte) typeCode).put((byte) shape.length);
        for (int d : shape) {
            header.putInt(d);
        }
        return header.array();
    }

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }

    static byte[] gzip(byte[] bytes) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (OutputStream gz = new GZIPOutputStream(out)) {
            gz.write(bytes);
        }
        return out.toByteArray();
    }

    static Path write(Path file, byte[] bytes) throws IOException {
        Files.write(file, bytes);
        return file;
    }
}
