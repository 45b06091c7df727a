package ignis.tensor.spi;

import java.lang.foreign.MemorySegment;

/**
 * Bulk copies of host memory in pieces. A thread reaches no safepoint inside one {@link MemorySegment#copy}, so when the
 * JVM stops every thread (for a collection) all of them wait the copy out; like java.nio's bulk copies, a large one goes
 * in pieces of {@link #PIECE_BYTES}. A collection requested while cpu-simd cloned a 188 MB tensor in one piece per thread
 * waited 208-219 ms for its safepoint; in pieces, 3-5 ms.
 */
public final class HostCopy {

    /** The most bytes one copy moves. */
    public static final long PIECE_BYTES = 1 << 20;

    private HostCopy() {
    }

    /**
     * Copies {@code bytes} from byte {@code srcByte} of {@code src} to byte {@code dstByte} of {@code dst} in pieces, with
     * memmove's semantics: the pieces go from the end when the destination starts after the source, so an overlap copies
     * as one piece would.
     */
    public static void copy(MemorySegment src, long srcByte, MemorySegment dst, long dstByte, long bytes) {
        if (dst.address() + dstByte > src.address() + srcByte) {
            for (long end = bytes; end > 0; end -= PIECE_BYTES) {
                long from = Math.max(0, end - PIECE_BYTES);
                MemorySegment.copy(src, srcByte + from, dst, dstByte + from, end - from);
            }
        } else {
            for (long from = 0; from < bytes; from += PIECE_BYTES) {
                MemorySegment.copy(src, srcByte + from, dst, dstByte + from, Math.min(PIECE_BYTES, bytes - from));
            }
        }
    }
}
