package ignis.backend.cuda;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import ignis.tensor.DType;
import ignis.tensor.spi.TensorView;
import org.junit.jupiter.api.Test;

/** Merging dims for the elementwise kernels keeps every element and its order. */
class CoalesceTest {

    private static TensorView view(long offset, long[] shape, long... strides) {
        return new TensorView(null, DType.FLOAT32, offset, shape, strides);
    }

    @Test
    void denseViewsBecomeOneDimAndSizeOneDimsGo() {
        TensorView[] v = Coalesce.views(view(0, new long[] {2, 1, 3, 4}, 12, 99, 4, 1), view(5, new long[] {2, 1, 3, 4}, 12, 7, 4, 1));
        assertArrayEquals(new long[] {24}, v[0].shape());
        assertArrayEquals(new long[] {1}, v[0].strides());
        assertArrayEquals(new long[] {1}, v[1].strides());
        assertEquals(5, v[1].offset());
    }

    @Test
    void aDimThatOneViewStepsThroughDifferentlyStays() {
        // a is dense [2, 3, 4]; b is a transposed [2, 3, 4] (strides 12, 1, 3): only the outer dim of a could merge, and b forbids it
        TensorView[] v = Coalesce.views(view(0, new long[] {2, 3, 4}, 12, 4, 1), view(0, new long[] {2, 3, 4}, 12, 1, 3));
        assertArrayEquals(new long[] {2, 3, 4}, v[0].shape());
        // a broadcast operand (stride 0) merges with its own kind only
        TensorView[] w = Coalesce.views(view(0, new long[] {2, 3, 4}, 12, 4, 1), view(0, new long[] {2, 3, 4}, 0, 0, 1));
        assertArrayEquals(new long[] {6, 4}, w[0].shape());
        assertArrayEquals(new long[] {4, 1}, w[0].strides());
        assertArrayEquals(new long[] {0, 1}, w[1].strides());
    }

    @Test
    void viewsThatCannotChangeAreReturnedAsTheyAre() {
        TensorView[] views = {view(0, new long[] {3, 2}, 1, 3)};
        assertSame(views, Coalesce.views(views));
    }

    @Test
    void viewsLaidOutAlikeWalkInMemoryOrder() {
        // a transposed result of transposed operands: one dense run, whichever way the shape reads
        TensorView[] v = Coalesce.inMemoryOrder(view(0, new long[] {4, 3}, 1, 4), view(7, new long[] {4, 3}, 1, 4));
        assertArrayEquals(new long[] {12}, v[0].shape());
        assertArrayEquals(new long[] {1}, v[1].strides());
        assertEquals(7, v[1].offset());
        // channels last [2, 4, 5, 3] (strides 60, 5, 1, 20) with a per-channel operand [1, 1, 1, 3]
        TensorView[] w = Coalesce.inMemoryOrder(view(0, new long[] {2, 4, 5, 3}, 60, 5, 1, 20), view(0, new long[] {2, 4, 5, 3}, 0, 0, 0, 1));
        assertArrayEquals(new long[] {2, 3, 20}, w[0].shape());
        assertArrayEquals(new long[] {60, 20, 1}, w[0].strides());
        assertArrayEquals(new long[] {0, 1, 0}, w[1].strides());
        // row-major views are left to views(): the same rewrite
        TensorView[] rowMajor = {view(0, new long[] {3, 2}, 2, 1)};
        assertArrayEquals(Coalesce.views(rowMajor)[0].shape(), Coalesce.inMemoryOrder(rowMajor)[0].shape());
    }

    @Test
    void rankTenDenseFitsTheKernels() {
        long[] shape = {2, 2, 2, 2, 2, 2, 2, 2, 2, 2};
        long[] strides = new long[10];
        for (int d = 9, s = 1; d >= 0; d--, s *= 2) {
            strides[d] = s;
        }
        assertArrayEquals(new long[] {1024}, Coalesce.views(view(0, shape, strides))[0].shape());
    }
}
