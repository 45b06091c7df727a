package ignis.backend.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ignis.tensor.DType;
import ignis.tensor.spi.HostCopy;
import ignis.tensor.spi.TensorView;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Staging a host view to and from a dense buffer: no device needed. */
class HostLayoutTest {

    private static final ValueLayout.OfFloat FLOAT = ValueLayout.JAVA_FLOAT_UNALIGNED;

    /** A contiguous view that starts part way and spans more than two copy pieces moves whole, both ways. */
    @Test
    void contiguousViewsMoveWholeAcrossCopyPieces() {
        long n = 2 * HostCopy.PIECE_BYTES / Float.BYTES + 3_001;
        long offset = 3;
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment host = random(arena, (offset + n + 5) * Float.BYTES, 1);
            TensorView view = new TensorView(null, DType.FLOAT32, offset, new long[] {n}, new long[] {1});
            MemorySegment dense = arena.allocate(n * Float.BYTES);

            HostLayout.pack(host, view, dense);

            assertEquals(-1, dense.mismatch(host.asSlice(offset * Float.BYTES, n * Float.BYTES)));
            MemorySegment back = random(arena, host.byteSize(), 2);
            MemorySegment before = arena.allocate(back.byteSize()).copyFrom(back);
            HostLayout.unpack(dense, view, back);
            assertEquals(-1, back.asSlice(offset * Float.BYTES, n * Float.BYTES).mismatch(dense));
            assertEquals(-1, back.asSlice(0, offset * Float.BYTES).mismatch(before.asSlice(0, offset * Float.BYTES)));
            long end = (offset + n) * Float.BYTES;
            assertEquals(-1, back.asSlice(end).mismatch(before.asSlice(end)));
        }
    }

    /** A transposed 3 x 4 view (strides 1, 3) packs in row-major order of its shape and unpacks to where it came from. */
    @Test
    void stridedViewsMoveInRowMajorOrder() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment host = arena.allocate(14 * Float.BYTES);
            for (int i = 0; i < 14; i++) {
                host.setAtIndex(FLOAT, i, i);
            }
            TensorView view = new TensorView(null, DType.FLOAT32, 2, new long[] {3, 4}, new long[] {1, 3});
            MemorySegment dense = arena.allocate(12 * Float.BYTES);

            HostLayout.pack(host, view, dense);

            float[] expected = {2, 5, 8, 11, 3, 6, 9, 12, 4, 7, 10, 13};
            for (int i = 0; i < 12; i++) {
                assertEquals(expected[i], dense.getAtIndex(FLOAT, i), "element " + i);
            }
            MemorySegment back = arena.allocate(14 * Float.BYTES);
            HostLayout.unpack(dense, view, back);
            for (int i = 0; i < 14; i++) {
                assertEquals(i < 2 ? 0 : i, back.getAtIndex(FLOAT, i), "host element " + i);
            }
        }
    }

    private static MemorySegment random(Arena arena, long bytes, long seed) {
        byte[] values = new byte[(int) bytes];
        new SplittableRandom(seed).nextBytes(values);
        return arena.allocateFrom(ValueLayout.JAVA_BYTE, values);
    }
}
