package ignis.backend.opencl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** The geom struct: dims of size 1 dropped, dims contiguous for every operand merged, row-major order kept. */
class GeometryTest {

    private static final int SHAPE = 2;
    private static final int OFFSETS = 2 + KernelSource.MAX_RANK;
    private static final int STRIDES = OFFSETS + KernelSource.SLOTS;

    private static long[] shape(long[] g) {
        return Arrays.copyOfRange(g, SHAPE, SHAPE + (int) g[0]);
    }

    private static long[] strides(long[] g, int operand) {
        int at = STRIDES + operand * KernelSource.MAX_RANK;
        return Arrays.copyOfRange(g, at, at + (int) g[0]);
    }

    @Test
    void contiguousOperandsBecomeOneDimension() {
        long[] g = Geometry.pack(new long[] {2, 3, 4}, new long[] {5, 7, 0, 0}, new long[] {12, 4, 1}, new long[] {12, 4, 1});
        assertEquals(1, g[0]);
        assertEquals(24, g[1]);
        assertArrayEquals(new long[] {24}, shape(g));
        assertArrayEquals(new long[] {1}, strides(g, 0));
        assertEquals(5, g[OFFSETS]);
        assertEquals(7, g[OFFSETS + 1]);
    }

    @Test
    void aTransposedOperandKeepsTwoDimensions() {
        long[] g = Geometry.pack(new long[] {3, 4}, new long[4], new long[] {4, 1}, new long[] {1, 3});
        assertArrayEquals(new long[] {3, 4}, shape(g));
        assertArrayEquals(new long[] {4, 1}, strides(g, 0));
        assertArrayEquals(new long[] {1, 3}, strides(g, 1));
    }

    @Test
    void broadcastDimsMergeWhenEveryOperandAllowsIt() {
        // out [2, 3, 4] contiguous; in broadcast over the first dim: [0, 4, 1] -> merged to [2, 12] with strides [0, 1].
        long[] g = Geometry.pack(new long[] {2, 3, 4}, new long[4], new long[] {12, 4, 1}, new long[] {0, 4, 1});
        assertArrayEquals(new long[] {2, 12}, shape(g));
        assertArrayEquals(new long[] {12, 1}, strides(g, 0));
        assertArrayEquals(new long[] {0, 1}, strides(g, 1));
    }

    @Test
    void sizeOneDimsAndRankZero() {
        long[] g = Geometry.pack(new long[] {1, 5, 1}, new long[4], new long[] {99, 2, 77});
        assertArrayEquals(new long[] {5}, shape(g));
        assertArrayEquals(new long[] {2}, strides(g, 0));
        long[] scalar = Geometry.pack(new long[0], new long[] {3, 0, 0, 0}, new long[0]);
        assertEquals(0, scalar[0]);
        assertEquals(1, scalar[1]);
    }

    @Test
    void tooManyUnmergeableDimsAreRefusedWithTheShape() {
        int rank = KernelSource.MAX_RANK + 1;
        long[] shape = new long[rank];
        long[] strides = new long[rank];
        for (int d = 0; d < rank; d++) {
            shape[d] = 2;
            strides[d] = 1L << (2 * (rank - d)); // gaps everywhere: nothing merges
        }
        var e = assertThrows(UnsupportedOperationException.class, () -> Geometry.pack(shape, new long[4], strides));
        assertEquals(true, e.getMessage().contains(Arrays.toString(shape)), e.getMessage());
    }
}
